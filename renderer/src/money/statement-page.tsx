import { useState } from 'react';
import { Button, Card, Group, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { TableHead } from '../components/table-parts';
import { IconFileSpreadsheet, IconFileTypePdf } from '@tabler/icons-react';
import { call, type ProcInput } from '../api/client';
import { useQuery } from '../api/hooks';
import { PageHeader } from '../components/page';
import { RemoteSelect } from '../components/remote-select';
import { DateField } from '../components/fields';
import { searchPayers, searchPupils } from '../enrollments/enrollment-form';
import { useSelectedPayer, useSelectedPupil } from '../attendance/selected-pupil';
import { formatCents, formatBp } from '../format/money';
import { formatDate } from '../format/dates';
import { currentYear, romeToday, useLookups } from '../master-data/lookups';
import { KIND_LABEL, MOVEMENT_AMOUNT_HEADS, MOVEMENT_DATE_HEAD } from './labels';
import { useDocuments } from './use-documents';

type StatementInput = ProcInput<'statements.get'>;

/**
 * Estratto conto: of one pupil, or of a family (all the payer's children), for any period; on
 * screen, as Excel and as PDF to hand to the family. The period starts, unless changed, on the
 * first day of the current school year.
 */
export function StatementPage() {
  const lookups = useLookups();
  const today = romeToday();
  const [who, setWho] = useState<'alunno' | 'famiglia'>('alunno');
  const [pupil, setPupil] = useSelectedPupil();
  const [payer, setPayer] = useSelectedPayer();
  const [from, setFrom] = useState<string | null>(() => currentYear(lookups.schoolYears, today)?.startsOn ?? `${today.slice(0, 4)}-01-01`);
  const [to, setTo] = useState<string | null>(today);
  const { busy, generate } = useDocuments();

  const input: StatementInput | null =
    from && to && (who === 'alunno' ? pupil : payer)
      ? who === 'alunno'
        ? { pupilId: Number(pupil!.value), from, to }
        : { payerId: Number(payer!.value), from, to }
      : null;
  const st = useQuery('statements.get', input);

  async function download(kind: 'pdf' | 'xlsx') {
    if (!input) return;
    await generate(kind, () => call(kind === 'pdf' ? 'statements.pdf' : 'statements.xlsx', input), (f) => [f.fileName, kind === 'pdf' ? 'Estratto conto in PDF' : 'Estratto conto in Excel']);
  }

  return (
    <Stack>
      <PageHeader
        title="Estratto conto"
        description="Di un alunno o di una famiglia, per il periodo scelto: saldi, movimenti e IVA dei pasti"
        actions={
          <>
            <Button variant="default" leftSection={<IconFileSpreadsheet size={16} />} disabled={!st.data} loading={busy === 'xlsx'} onClick={() => void download('xlsx')}>
              Excel
            </Button>
            <Button leftSection={<IconFileTypePdf size={16} />} disabled={!st.data} loading={busy === 'pdf'} onClick={() => void download('pdf')}>
              PDF per la famiglia
            </Button>
          </>
        }
      />
      <Group align="flex-end" gap="sm">
        <SegmentedControl
          aria-label="Estratto conto di"
          value={who}
          onChange={(v) => setWho(v as 'alunno' | 'famiglia')}
          data={[
            { value: 'alunno', label: 'Alunno' },
            { value: 'famiglia', label: 'Famiglia (pagante)' },
          ]}
        />
        {who === 'alunno' ? (
          <RemoteSelect label="Alunno" placeholder="Cercare l'alunno" value={pupil} onChange={setPupil} search={searchPupils} w={440} />
        ) : (
          <RemoteSelect label="Pagante" placeholder="Cercare il pagante" value={payer} onChange={setPayer} search={searchPayers} w={440} />
        )}
        <DateField label="Dal" value={from} onChange={setFrom} w={140} clearable={false} />
        <DateField label="Al" value={to} onChange={setTo} w={140} clearable={false} />
      </Group>
      {st.data && (
        <Stack data-testid="statement">
          <Text>
            <b>{st.data.holderName}</b> · {st.data.holderTaxCode} · dal {formatDate(st.data.from)} al {formatDate(st.data.to)}
          </Text>
          {st.data.pupils.map((p) => (
            <Card key={p.pupilId} withBorder radius="md">
              <Title order={4} fz="md">
                {p.pupilName} · {p.schoolName}
                {p.className ? ` ${p.className}` : ''} · codice utente {p.userCode}
              </Title>
              {p.services.length === 0 && (
                <Text size="sm" c="dimmed">
                  Nessun movimento nel periodo.
                </Text>
              )}
              {p.services.map((s) => (
                <Stack key={s.service} gap={4} mt="sm">
                  <Group gap="xl">
                    <Text fw={600}>Servizio {s.serviceName}</Text>
                    <Text size="sm">Saldo iniziale {formatCents(s.openingCents)}</Text>
                    <Text size="sm">Accrediti {formatCents(s.creditsCents)}</Text>
                    <Text size="sm">Addebiti {formatCents(s.debitsCents)}</Text>
                    <Text size="sm" fw={700} c={s.closingCents < 0 ? 'red' : undefined} data-testid={`statement-closing-${p.pupilId}-${s.service}`}>
                      Saldo finale {formatCents(s.closingCents)}
                    </Text>
                  </Group>
                  <Table striped withTableBorder style={{ fontVariantNumeric: 'tabular-nums' }}>
                    <TableHead cells={[MOVEMENT_DATE_HEAD, 'Descrizione', ...MOVEMENT_AMOUNT_HEADS]} />
                    <Table.Tbody>
                      {s.movements.map((m) => (
                        <Table.Tr key={m.entryId}>
                          <Table.Td>{formatDate(m.date)}</Table.Td>
                          <Table.Td title={KIND_LABEL[m.kind]}>{m.description}</Table.Td>
                          <Table.Td ta="right" c={m.amountCents < 0 ? 'red' : 'teal'}>
                            {formatCents(m.amountCents)}
                          </Table.Td>
                          <Table.Td ta="right">{formatCents(m.balanceCents)}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                  {s.vat.length > 0 && <VatTable lines={s.vat} caption={`IVA dei pasti, servizio ${s.serviceName}`} />}
                </Stack>
              ))}
            </Card>
          ))}
          {st.data.vatTotal.length > 0 && st.data.pupils.length > 1 && <VatTable lines={st.data.vatTotal} caption="IVA dei pasti, totale della famiglia" />}
        </Stack>
      )}
    </Stack>
  );
}

function VatTable({ lines, caption }: { lines: { vatRateBp: number; meals: number; netCents: number; vatCents: number; grossCents: number }[]; caption: string }) {
  return (
    <Table withTableBorder w={620} captionSide="top" style={{ fontVariantNumeric: 'tabular-nums' }} data-testid="statement-vat">
      <Table.Caption>{caption}</Table.Caption>
      <TableHead cells={['Aliquota', { label: 'Pasti', right: true }, { label: 'Imponibile', right: true }, { label: 'IVA', right: true }, { label: 'Totale', right: true }]} />
      <Table.Tbody>
        {lines.map((l) => (
          <Table.Tr key={l.vatRateBp}>
            <Table.Td>{formatBp(l.vatRateBp)}</Table.Td>
            <Table.Td ta="right">{l.meals}</Table.Td>
            <Table.Td ta="right">{formatCents(l.netCents)}</Table.Td>
            <Table.Td ta="right">{formatCents(l.vatCents)}</Table.Td>
            <Table.Td ta="right">{formatCents(l.grossCents)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
