import { useState } from 'react';
import { Badge, Button, Group, Menu, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { IconChevronDown, IconSend } from '@tabler/icons-react';
import { call, type ProcInput, type ProcOutput } from '../api/client';
import { notifyError, notifySuccess, useQuery } from '../api/hooks';
import { useChangeNotices } from '../api/notices';
import { EmptyState } from '../components/empty-state';
import { TableHead } from '../components/table-parts';
import { formatMoment } from '../format/dates';
import { formatCount, plural } from '../format/words';

type OutboxList = ProcOutput<'portal.outbox.list'>;
type OutboxRow = OutboxList['rows'][number];
type OutboxState = OutboxRow['state'];
type Scope = ProcInput<'portal.publish'>['scope'];

export const OUTBOX_STATE_LABEL: Record<OutboxState, string> = { in_attesa: 'In attesa', pubblicato: 'Pubblicato', sostituito: 'Sostituito' };
const STATE_COLOR: Record<OutboxState, string> = { in_attesa: 'orange', pubblicato: 'teal', sostituito: 'gray' };
export const OUTBOX_TYPE_LABEL: Record<OutboxRow['type'], string> = {
  calendar: 'Calendario',
  meals: 'Pasti',
  balance: 'Saldo',
  pagopaNotice: 'Avviso pagoPA',
  news: 'Avviso alle famiglie',
  tax730: 'Dichiarazione 730',
  enrollmentStatus: 'Iscrizione',
};
const SCOPES: { scope: Scope; label: string }[] = [
  { scope: 'all', label: 'Tutto' },
  { scope: 'calendar', label: 'Calendario del servizio' },
  { scope: 'meals', label: 'Pasti di oggi' },
  { scope: 'balances', label: 'Saldi e movimenti' },
  { scope: 'notices', label: 'Avvisi pagoPA' },
  { scope: 'enrollments', label: 'Stato delle iscrizioni' },
  { scope: 'news', label: 'Avvisi e news' },
  { scope: 'tax730', label: "Dichiarazioni 730 dell'anno scorso" },
];

/** What the office publishes: the queue (pending, published, superseded) and «Pubblica ora». */
export function OutboxPanel() {
  const [state, setState] = useState<OutboxState | 'tutti'>('in_attesa');
  const list = useQuery('portal.outbox.list', { ...(state === 'tutti' ? {} : { state }), limit: 100 });
  useChangeNotices(['portal', 'news'], () => void list.reload());
  const [busy, setBusy] = useState(false);
  const counts = list.data?.counts;
  const rows = list.data?.rows ?? [];

  const publish = async (scope: Scope) => {
    setBusy(true);
    try {
      const r = await call('portal.publish', { scope });
      notifySuccess(
        r.added ? `${plural(r.added, 'aggiornamento', 'aggiornamenti')} da inviare al portale alla prossima sincronizzazione` : 'Il portale ha già tutto: nulla di nuovo da inviare',
        'Pubblicazione preparata',
      );
      void list.reload();
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="xs">
      <Group justify="space-between" wrap="nowrap">
        <Group gap="md" data-testid="outbox-counts">
          <Text size="sm">
            <b>{formatCount(counts?.pending ?? 0)}</b> in attesa di invio
          </Text>
          <Text size="sm">
            <b>{formatCount(counts?.published ?? 0)}</b> pubblicati
          </Text>
          {(counts?.failing ?? 0) > 0 && (
            <Text size="sm" c="red.8">
              <b>{formatCount(counts!.failing)}</b> con un errore all'ultimo invio
            </Text>
          )}
          {counts?.lastPublishedAt && (
            <Text size="sm" c="dimmed">
              ultimo invio {formatMoment(counts.lastPublishedAt)}
            </Text>
          )}
        </Group>
        <Menu position="bottom-end" width={260}>
          <Menu.Target>
            <Button size="xs" leftSection={<IconSend size={14} />} rightSection={<IconChevronDown size={14} />} loading={busy}>
              Pubblica ora
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            {SCOPES.map((s) => (
              <Menu.Item key={s.scope} onClick={() => void publish(s.scope)}>
                {s.label}
              </Menu.Item>
            ))}
          </Menu.Dropdown>
        </Menu>
      </Group>
      <SegmentedControl
        size="xs"
        w={460}
        data-testid="outbox-filter"
        value={state}
        onChange={(v) => setState(v as OutboxState | 'tutti')}
        data={[
          { value: 'in_attesa', label: 'In attesa' },
          { value: 'pubblicato', label: 'Pubblicati' },
          { value: 'sostituito', label: 'Sostituiti' },
          { value: 'tutti', label: 'Tutti' },
        ]}
      />
      {rows.length === 0 && !list.loading ? (
        <EmptyState
          filtered={(counts?.pending ?? 0) + (counts?.published ?? 0) + (counts?.superseded ?? 0) > 0}
          nothing="Nulla pubblicato finora"
          noMatch={state === 'in_attesa' ? 'Nulla in attesa: il portale ha tutto ciò che l\u2019ufficio ha pubblicato' : 'Nessun evento in questo stato'}
          hint="Calendario, pasti, saldi, avvisi e news arrivano qui quando cambiano; «Pubblica ora» li prepara subito."
        />
      ) : (
        <Table striped withTableBorder fz="sm" verticalSpacing={4} data-testid="outbox-table">
          <TableHead cells={[{ label: 'Tipo', nowrap: true }, 'Contenuto', { label: 'Stato', w: 120 }, { label: 'Preparato', nowrap: true }, { label: 'Invio', nowrap: true }]} />
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.seq} data-testid="outbox-row">
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{OUTBOX_TYPE_LABEL[r.type]}</Table.Td>
                <Table.Td>{r.summary}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Badge size="sm" variant="light" color={STATE_COLOR[r.state]} styles={{ label: { overflow: 'visible' } }}>
                    {OUTBOX_STATE_LABEL[r.state]}
                  </Badge>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatMoment(r.createdAt)}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {r.publishedAt ? (
                    <Text size="xs">{formatMoment(r.publishedAt)}</Text>
                  ) : r.lastError ? (
                    <Text size="xs" c="red.8">
                      {plural(r.attempts, 'tentativo', 'tentativi')}: {r.lastError}
                    </Text>
                  ) : (
                    <Text size="xs" c="dimmed">
                      alla prossima sincronizzazione
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
