import { Card, Group, SimpleGrid, Stack, Text, ThemeIcon, Anchor, Skeleton } from '@mantine/core';
import { IconBuildingCommunity, IconClipboardList, IconSchool, IconUsers, IconUsersGroup } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useQuery } from '../api/hooks';
import { useChangeNotices } from '../api/notices';
import { formatCount } from '../format/words';
import { WorklistCard } from './worklist-card';
import { PageHeader } from '../components/page';
import { formatDate } from '../format/dates';
import { navigate } from '../app/router';
import { useSession } from '../auth/session';
import { KitchenTodayCard } from '../kitchen/kitchen-page';
import { formatCents } from '../format/money';
import { currentYear, romeToday, useLookups } from '../master-data/lookups';
import { DebtTotalsCard } from '../debts/debt-totals-card';

function Stat({ label, value, icon, color, to }: { label: string; value: number | undefined; icon: ReactNode; color: string; to: string }) {
  return (
    <Card withBorder padding="md" radius="md" style={{ cursor: 'pointer' }} onClick={() => navigate(to)} data-testid={`stat-${to.replace(/\W/g, '')}`}>
      <Group justify="space-between" align="flex-start">
        <div>
          <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
            {label}
          </Text>
          {value === undefined ? <Skeleton h={30} w={80} mt={6} /> : (
            <Text fz={28} fw={700} lh={1.3}>
              {formatCount(value)}
            </Text>
          )}
        </div>
        <ThemeIcon color={color} variant="light" size={40} radius="md">
          {icon}
        </ThemeIcon>
      </Group>
    </Card>
  );
}

export function DashboardPage() {
  const { data, reload } = useQuery('system.info', {});
  // counts follow every change, made here, in another window or by the program itself
  useChangeNotices(['*'], reload);
  const session = useSession();
  const c = data?.counts;
  return (
    <Stack>
      <PageHeader title="Cruscotto" description={data ? `Oggi è ${formatDate(data.today)}. Buon lavoro, ${session.user?.displayName}.` : ' '} />
      <SimpleGrid cols={{ base: 2, md: 3, lg: 5 }}>
        <Stat label="Alunni" value={c?.pupils} icon={<IconUsers />} color="blue" to="/alunni" />
        <Stat label="Paganti" value={c?.payers} icon={<IconUsersGroup />} color="teal" to="/paganti" />
        <Stat label="Iscrizioni" value={c?.enrollments} icon={<IconClipboardList />} color="violet" to="/iscrizioni" />
        <Stat label="Scuole" value={c?.schools} icon={<IconSchool />} color="orange" to="/anagrafiche/scuole" />
        <Stat label="Comuni" value={c?.municipalities} icon={<IconBuildingCommunity />} color="cyan" to="/anagrafiche/comuni" />
      </SimpleGrid>
      <WorklistCard />
      <KitchenTodayCard onOpen={() => navigate('/cucina')} />
      <CreditCard />
      <DebtTotalsCard />
      <Card withBorder radius="md">
        <Text fw={600} mb={4}>
          Da dove iniziare
        </Text>
        <Text size="sm" c="dimmed">
          {session.can('amministratore') ? (
            <>
              Impostare prima le <Anchor onClick={() => navigate('/anagrafiche/comuni')}>anagrafiche</Anchor> (comuni, anni scolastici, scuole e classi, tariffe);
              poi registrare o{' '}
            </>
          ) : (
            'Registrare o '
          )}
          <Anchor onClick={() => navigate('/importazione')}>importare</Anchor> alunni e paganti e gestire le{' '}
          <Anchor onClick={() => navigate('/iscrizioni')}>iscrizioni</Anchor> dell'anno scolastico.
        </Text>
        {data && (
          <Text size="xs" c="dimmed" mt="sm">
            Archivio in uso: {data.databaseFile}
          </Text>
        )}
      </Card>
    </Stack>
  );
}

/**
 * Credit at a glance (P1): pupils in debt or under the reminder threshold, families to remind
 * before the first month, and the total credit and debt per service; a click opens the list.
 */
function CreditCard() {
  const lookups = useLookups();
  const year = currentYear(lookups.schoolYears, romeToday());
  const low = useQuery('ledger.lowBalances', {});
  const reminders = useQuery('ledger.firstMonthReminders', year ? { schoolYearId: year.id } : null);
  const totals = useQuery('ledger.totals', {});
  useChangeNotices(['ledger', 'attendance', 'enrollments', 'payers', 'pupils', 'sdd'], () => {
    void low.reload();
    void reminders.reload();
    void totals.reload();
  });
  const debts = low.data?.rows.filter((r) => r.debt).length;
  const under = low.data ? low.data.rows.length - (debts ?? 0) : undefined;
  return (
    <Card withBorder radius="md" style={{ cursor: 'pointer' }} onClick={() => navigate('/credito')} data-testid="credit-card">
      <Group justify="space-between" align="flex-start">
        <div>
          <Text fw={600}>Credito delle famiglie</Text>
          <Text size="sm" c="dimmed">
            {low.data ? `Soglia di avviso ${formatCents(low.data.thresholdCents)}` : ' '}
          </Text>
        </div>
        <Group gap="xl">
          <div>
            <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
              In debito
            </Text>
            <Text fz={24} fw={700} c={debts ? 'red' : undefined} data-testid="credit-debts">
              {debts === undefined ? '…' : formatCount(debts)}
            </Text>
          </div>
          <div>
            <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
              Sotto soglia
            </Text>
            <Text fz={24} fw={700} c={under ? 'orange' : undefined}>
              {under === undefined ? '…' : formatCount(under)}
            </Text>
          </div>
          <div>
            <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
              Da avvisare prima del primo mese
            </Text>
            <Text fz={24} fw={700}>
              {reminders.data ? formatCount(reminders.data.length) : year ? '…' : '—'}
            </Text>
          </div>
          {(totals.data ?? []).map((t) => (
            <div key={t.service}>
              <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
                {t.serviceName}: credito / debito
              </Text>
              <Text fz="md" fw={600} style={{ fontVariantNumeric: 'tabular-nums' }}>
                {formatCents(t.creditCents)} / <Text span c={t.debtCents > 0 ? 'red' : undefined} inherit>{formatCents(t.debtCents)}</Text>
              </Text>
            </div>
          ))}
        </Group>
      </Group>
    </Card>
  );
}
