import { Fragment } from 'react';
import { Card, Group, Table, Text } from '@mantine/core';
import { useQuery } from '../api/hooks';
import { useChangeNotices } from '../api/notices';
import { useSession } from '../auth/session';
import { navigate } from '../app/router';
import { EmptyRow, TableHead } from '../components/table-parts';
import { formatCents } from '../format/money';
import { DEBT_AGE_BAND_LABEL } from '../../../electron/contract/vocabulary/debts';

const BANDS = ['0-30', '31-90', 'oltre_90'] as const;
const BAND_COLOR = { '0-30': undefined, '31-90': 'orange.8', oltre_90: 'red.8' } as const;
const fmt = new Intl.NumberFormat('it-IT');

/**
 * The dashboard's debts at a glance (issue 11, D1): per municipality the families that owe and how
 * much, by age of the oldest unpaid amount (0-30, 31-90, over 90 days), and the grand total. Only
 * for supervisors (D3, F5: who owes is not for every desk); a click opens the morning worklist.
 */
export function DebtTotalsCard() {
  const session = useSession();
  const supervisor = session.can('supervisore');
  const totals = useQuery('debts.totals', supervisor ? {} : null);
  // what is owed moves with charges (day close), payments, SDD returns and the debt steps
  useChangeNotices(['ledger', 'attendance', 'sdd', 'debts', 'pagopa'], totals.reload);
  if (!supervisor) return null;
  const rows = totals.data ?? [];
  const sum = (pick: (r: (typeof rows)[number]) => number) => rows.reduce((s, r) => s + pick(r), 0);
  const band = (r: (typeof rows)[number], b: (typeof BANDS)[number]) => r.bands.find((x) => x.band === b) ?? { families: 0, owedCents: 0 };
  const cell = (families: number, cents: number, color?: string) => (
    <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
      <Text size="sm" fw={500} c={cents > 0 ? color : 'dimmed'}>
        {formatCents(cents)}
      </Text>
      <Text size="xs" c="dimmed">
        {families === 1 ? '1 famiglia' : `${fmt.format(families)} famiglie`}
      </Text>
    </Table.Td>
  );
  return (
    <Card withBorder radius="md" data-testid="debt-totals-card">
      <Group justify="space-between" mb="xs">
        <div>
          <Text fw={600} style={{ cursor: 'pointer' }} onClick={() => navigate('/morosita')}>
            Morosità per comune
          </Text>
          <Text size="sm" c="dimmed">
            Debiti delle famiglie dal libro contabile, per età del più vecchio importo non pagato
          </Text>
        </div>
        <Text fz={22} fw={700} c={sum((r) => r.owedCents) > 0 ? 'red.8' : undefined} data-testid="debt-totals-total">
          {totals.data ? formatCents(sum((r) => r.owedCents)) : '…'}
        </Text>
      </Group>
      <Table striped withTableBorder fz="sm">
        <TableHead cells={['Comune', ...BANDS.map((b) => ({ label: DEBT_AGE_BAND_LABEL[b], right: true })), { label: 'Totale', right: true }]} />
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.municipalityId}>
              <Table.Td>{r.municipalityName}</Table.Td>
              {BANDS.map((b) => (
                <Fragment key={b}>{cell(band(r, b).families, band(r, b).owedCents, BAND_COLOR[b])}</Fragment>
              ))}
              {cell(r.families, r.owedCents)}
            </Table.Tr>
          ))}
          {totals.data && rows.length === 0 && <EmptyRow colSpan={5}>Nessuna famiglia in debito</EmptyRow>}
          {rows.length > 1 && (
            <Table.Tr fw={700}>
              <Table.Td>Totale</Table.Td>
              {BANDS.map((b) => (
                <Fragment key={b}>{cell(sum((r) => band(r, b).families), sum((r) => band(r, b).owedCents), BAND_COLOR[b])}</Fragment>
              ))}
              {cell(sum((r) => r.families), sum((r) => r.owedCents))}
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

