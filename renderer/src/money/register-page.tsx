import { useState } from 'react';
import { Card, Group, Select, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { TableHead, EmptyRow } from '../components/table-parts';
import { useQuery } from '../api/hooks';
import { ExportButton } from '../components/export-button';
import { PageHeader } from '../components/page';
import { DateField } from '../components/fields';
import { formatCents } from '../format/money';
import { formatDate } from '../format/dates';
import { municipalityOptions, romeToday, useLookups } from '../master-data/lookups';
import { CHANNEL_LABEL, type PaymentChannel } from './labels';

const CHANNELS = Object.entries(CHANNEL_LABEL).map(([value, label]) => ({ value, label }));

/**
 * Registro incassi: every top-up and manual payment of a period, by municipality and channel,
 * with totals, to reconcile with the bank's and pagoPA's reports.
 */
export function RegisterPage() {
  const lookups = useLookups();
  const today = romeToday();
  const [from, setFrom] = useState<string | null>(`${today.slice(0, 7)}-01`);
  const [to, setTo] = useState<string | null>(today);
  const [municipalityId, setMunicipalityId] = useState<string | null>(null);
  const [channel, setChannel] = useState<string | null>(null);
  const filters =
    from && to
      ? { from, to, municipalityId: municipalityId ? Number(municipalityId) : undefined, channel: (channel ?? undefined) as PaymentChannel | undefined }
      : null;
  const reg = useQuery('ledger.register', filters);

  return (
    <Stack>
      <PageHeader
        title="Registro incassi"
        description="Ricariche pagoPA e pagamenti registrati nel periodo, per comune e mezzo"
        actions={<ExportButton name="ledger.registerExport" filters={filters} disabled={!reg.data} />}
      />
      <Group align="flex-end" gap="sm">
        <DateField label="Dal" value={from} onChange={setFrom} w={140} clearable={false} />
        <DateField label="Al" value={to} onChange={setTo} w={140} clearable={false} />
        <Select label="Comune" placeholder="Tutti" clearable data={municipalityOptions(lookups.municipalities)} value={municipalityId} onChange={setMunicipalityId} w={200} />
        <Select label="Mezzo" placeholder="Tutti" clearable data={CHANNELS} value={channel} onChange={setChannel} w={170} />
      </Group>
      {reg.data && (
        <>
          <SimpleGrid cols={{ base: 2, lg: 4 }}>
            <Figure label="Incassi" value={String(reg.data.count)} testId="register-count" />
            <Figure label="Importo" value={formatCents(reg.data.amountCents)} />
            <Figure label="Stornato" value={formatCents(reg.data.reversedCents)} />
            <Figure label="Netto" value={formatCents(reg.data.netCents)} testId="register-net" />
          </SimpleGrid>
          <Table withTableBorder w="fit-content" miw={620} style={{ fontVariantNumeric: 'tabular-nums' }} data-testid="register-totals">
            <TableHead cells={['Comune', 'Mezzo', { label: 'Incassi', right: true }, { label: 'Importo', right: true }, { label: 'Netto', right: true }]} />
            <Table.Tbody>
              {reg.data.totals.map((t) => (
                <Table.Tr key={`${t.municipalityId}-${t.channel}`}>
                  <Table.Td>{t.municipalityName}</Table.Td>
                  <Table.Td>{CHANNEL_LABEL[t.channel]}</Table.Td>
                  <Table.Td ta="right">{t.count}</Table.Td>
                  <Table.Td ta="right">{formatCents(t.amountCents)}</Table.Td>
                  <Table.Td ta="right">{formatCents(t.netCents)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Table striped withTableBorder highlightOnHover style={{ fontVariantNumeric: 'tabular-nums' }} data-testid="register-rows">
            <TableHead cells={[{ label: 'Data', w: 100 }, { label: 'Mezzo', w: 110 }, 'Alunno', 'Pagante', 'Comune', 'Avviso / riferimento', { label: 'Importo', w: 110, right: true }]} />
            <Table.Tbody>
              {reg.data.rows.map((r) => (
                <Table.Tr key={r.paymentId} style={r.reversedCents ? { textDecoration: 'line-through' } : undefined}>
                  <Table.Td>{formatDate(r.paidOn)}</Table.Td>
                  <Table.Td>{CHANNEL_LABEL[r.channel]}</Table.Td>
                  <Table.Td>
                    {r.pupilName} <Text span size="xs" c="dimmed">{r.userCode}</Text>
                  </Table.Td>
                  <Table.Td>{r.payerName}</Table.Td>
                  <Table.Td>{r.municipalityName ?? ''}</Table.Td>
                  <Table.Td>{r.noticeNumber ?? r.reference}</Table.Td>
                  <Table.Td ta="right">{formatCents(r.amountCents)}</Table.Td>
                </Table.Tr>
              ))}
              {reg.data.rows.length === 0 && <EmptyRow colSpan={7}>Nessun incasso nel periodo</EmptyRow>}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Stack>
  );
}

/** One total of the register: a small label over a large figure. */
function Figure({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text fz="xl" fw={700} data-testid={testId}>
        {value}
      </Text>
    </Card>
  );
}
