import { useState, type ReactNode } from 'react';
import { Badge, Group, Stack, Tabs } from '@mantine/core';
import { IconAlertTriangle, IconArrowDownLeft, IconArrowUpRight, IconMessageCircle, IconRefresh } from '@tabler/icons-react';
import { useQuery } from '../api/hooks';
import { useChangeNotices } from '../api/notices';
import { PageHeader } from '../components/page';
import { formatCount } from '../format/words';
import { InboundPanel, SupportPanel } from './inbound-panels';
import { OutboxPanel } from './outbox-panel';
import { SyncStatusPanel } from './sync-status-panel';

function TabLabel({ children, count, color = 'orange' }: { children: ReactNode; count?: number; color?: string }) {
  return (
    <Group gap={6} wrap="nowrap">
      {children}
      {count !== undefined && count > 0 && (
        <Badge size="sm" variant="filled" color={color} circle={count < 10}>
          {formatCount(count)}
        </Badge>
      )}
    </Group>
  );
}

/**
 * «Portale famiglie › Sincronizzazione»: the last run and its counts, errors with «Riprova», the
 * review queue, what came in, the families' support requests, what went out, the adapter settings.
 */
export function PortalSyncPage() {
  const [tab, setTab] = useState<string | null>('stato');
  const review = useQuery('portal.review.list', { status: 'in_revisione', limit: 1 });
  const support = useQuery('portal.support.list', { status: 'aperta', limit: 1 });
  const outbox = useQuery('portal.outbox.list', { state: 'in_attesa', limit: 1 });
  const reloadCounts = () => {
    void review.reload();
    void support.reload();
    void outbox.reload();
  };
  useChangeNotices(['portal', 'news'], reloadCounts);
  return (
    <Stack gap="sm">
      <PageHeader
        title="Sincronizzazione con il portale delle famiglie"
        description="Ciò che arriva dal portale (disdette, iscrizioni, ricariche, segnalazioni) e ciò che l'ufficio pubblica (calendario, pasti, saldi, avvisi)."
      />
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="stato" leftSection={<IconRefresh size={16} />}>
            Sincronizzazione
          </Tabs.Tab>
          <Tabs.Tab value="revisione" leftSection={<IconAlertTriangle size={16} />} data-testid="tab-review">
            <TabLabel count={review.data?.counts.in_revisione}>Da rivedere</TabLabel>
          </Tabs.Tab>
          <Tabs.Tab value="arrivati" leftSection={<IconArrowDownLeft size={16} />}>
            Arrivati
          </Tabs.Tab>
          <Tabs.Tab value="segnalazioni" leftSection={<IconMessageCircle size={16} />}>
            <TabLabel count={support.data?.total}>Segnalazioni</TabLabel>
          </Tabs.Tab>
          <Tabs.Tab value="pubblicati" leftSection={<IconArrowUpRight size={16} />} data-testid="tab-outbox">
            <TabLabel count={outbox.data?.counts.pending} color="blue">
              Pubblicati
            </TabLabel>
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="stato" pt="sm">
          <SyncStatusPanel onShow={setTab} onSynced={reloadCounts} />
        </Tabs.Panel>
        <Tabs.Panel value="revisione" pt="sm">
          <InboundPanel review />
        </Tabs.Panel>
        <Tabs.Panel value="arrivati" pt="sm">
          <InboundPanel review={false} />
        </Tabs.Panel>
        <Tabs.Panel value="segnalazioni" pt="sm">
          <SupportPanel />
        </Tabs.Panel>
        <Tabs.Panel value="pubblicati" pt="sm">
          <OutboxPanel />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
