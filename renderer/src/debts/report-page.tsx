import { useState } from 'react';
import { Alert, Badge, Button, Card, Group, MultiSelect, Select, Stack, Table, Text } from '@mantine/core';
import { IconFileSpreadsheet, IconFileTypePdf, IconLock } from '@tabler/icons-react';
import { call } from '../api/client';
import { useQuery } from '../api/hooks';
import { useSession } from '../auth/session';
import { PageHeader } from '../components/page';
import { EmptyRow, TableHead } from '../components/table-parts';
import { formatDate } from '../format/dates';
import { formatCents } from '../format/money';
import { municipalityOptions, useLookups } from '../master-data/lookups';
import { useDocuments } from '../money/use-documents';
import { DEBT_CHANNEL_SHORT } from '../../../electron/contract/vocabulary/debts';

/** "1 famiglia", "3 famiglie" */
export function countOf(n: number, one: string, many: string): string {
  return `${new Intl.NumberFormat('it-IT').format(n)} ${n === 1 ? one : many}`;
}

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * "Fascicolo PDF": a family's evidence pack for the municipality (D1): cover, statement, the
 * letters sent and the delivery receipts, in one PDF. Supervisors only (the backend refuses the
 * others); every download is recorded. For reuse by other debt screens.
 */
export function EvidencePackButton({ payerId, municipalityId, size = 'xs', label = 'Fascicolo PDF' }: { payerId: number; municipalityId: number; size?: 'xs' | 'sm'; label?: string }) {
  const session = useSession();
  const docs = useDocuments();
  if (!session.can('supervisore')) return null;
  return (
    <Button
      size={size}
      variant="default"
      leftSection={<IconFileTypePdf size={14} />}
      loading={docs.busy === 'pack'}
      data-testid={`evidence-pack-${payerId}`}
      onClick={() =>
        void docs.generate(
          'pack',
          () => call('debts.evidencePack', { payerId, municipalityId }),
          (f) => [`${f.fileName}: ${countOf(f.count, 'documento', 'documenti')} (riepilogo, estratto conto, lettere e prove di consegna)`, 'Fascicolo pronto'],
        )
      }
    >
      {label}
    </Button>
  );
}

/**
 * Morosi per il comune (issue 11, D1): the persistent debtors of one municipality for forced
 * collection (ingiunzione or tax roll): payer and codice fiscale, pupils, amounts by school year,
 * steps with delivery dates; the Excel for the municipality and each family's evidence pack.
 * Supervisors only (D3: debtor lists go only to the municipality's office); every preview and
 * download is recorded in the audit log.
 */
export function DebtReportPage() {
  const session = useSession();
  const lookups = useLookups();
  const [municipalityId, setMunicipalityId] = useState<string | null>(null);
  const [years, setYears] = useState<string[]>([]);
  const supervisor = session.can('supervisore');
  const input = supervisor && municipalityId ? { municipalityId: Number(municipalityId), schoolYearIds: years.map(Number) } : null;
  const preview = useQuery('debts.report.preview', input);
  const docs = useDocuments();
  const r = preview.data;

  if (!supervisor) {
    return (
      <Stack>
        <PageHeader title="Morosi per il comune" />
        <Alert color="gray" icon={<IconLock size={18} />}>
          L'elenco dei morosi per il comune è riservato ai supervisori.
        </Alert>
      </Stack>
    );
  }

  return (
    <Stack gap="sm">
      <PageHeader
        title="Morosi per il comune"
        description="Famiglie con un debito in corso che hanno già ricevuto l'ultimo passo della procedura, con il termine scaduto: l'elenco per la riscossione coattiva (ingiunzione o ruolo) e il fascicolo di ciascuna"
        actions={
          <Button
            leftSection={<IconFileSpreadsheet size={16} />}
            disabled={!input || !r || r.rows === 0}
            loading={docs.busy === 'xlsx'}
            data-testid="report-xlsx"
            onClick={() =>
              input &&
              void docs.generate(
                'xlsx',
                async () => ({ ...(await call('debts.report.workbook', input)), mimeType: XLSX_MIME }),
                (f) => [`${countOf(f.rows, 'famiglia', 'famiglie')} in ${f.fileName}`, 'Excel per il comune pronto'],
              )
            }
          >
            Scarica Excel
          </Button>
        }
      />
      <Group align="flex-end" gap="sm">
        <Select label="Comune" placeholder="Scegliere il comune" data={municipalityOptions(lookups.municipalities)} value={municipalityId} onChange={setMunicipalityId} searchable w={260} data-testid="report-municipality" />
        <MultiSelect
          label="Anni scolastici"
          placeholder={years.length ? undefined : 'Tutti'}
          data={[...lookups.schoolYears].reverse().map((y) => ({ value: String(y.id), label: y.label }))}
          value={years}
          onChange={setYears}
          clearable
          w={320}
          data-testid="report-years"
        />
      </Group>
      {!input && <Alert color="blue">Scegliere il comune: l'anteprima mostra i morosi persistenti, l'Excel li riporta con gli importi per anno scolastico e i passi con le date di consegna.</Alert>}
      {r && (
        <Card withBorder radius="md" p="sm">
          <Group justify="space-between" mb="xs">
            <Text size="sm">
              Comune di <b>{r.municipalityName}</b> al {formatDate(r.today)} · ultimo passo della procedura: <b>{r.lastStepName}</b>
            </Text>
            <Text size="sm" fw={600} data-testid="report-total">
              {countOf(r.rows, 'famiglia', 'famiglie')} · {formatCents(r.totalCents)}
            </Text>
          </Group>
          <Table striped withTableBorder fz="sm" verticalSpacing={6} data-testid="report-table">
            <TableHead
              cells={[
                'Pagante',
                'Alunni',
                ...r.schoolYears.map((y) => ({ label: y.label, right: true, nowrap: true })),
                { label: 'Totale', right: true },
                { label: 'Non pagato dal', nowrap: true },
                'Passi e consegne',
                '',
              ]}
            />
            <Table.Tbody>
              {r.debtors.map((d) => (
                <Table.Tr key={d.payerId} data-testid="report-row">
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {d.payerName}
                    </Text>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {d.payerTaxCode}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {d.address}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {d.pupils.map((p) => (
                      <Text key={p.pupilId} size="xs">
                        {p.name} <Text span c="dimmed" ff="monospace" inherit>{p.taxCode}</Text>
                      </Text>
                    ))}
                  </Table.Td>
                  {r.schoolYears.map((y) => {
                    const a = d.amounts.find((x) => x.schoolYearId === y.id);
                    return (
                      <Table.Td key={y.id} ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                        {a ? formatCents(a.owedCents) : '—'}
                      </Table.Td>
                    );
                  })}
                  <Table.Td ta="right" fw={600} style={{ fontVariantNumeric: 'tabular-nums' }}>
                    {formatCents(d.owedCents)}
                    {d.unpaidNoticesCents > 0 && (
                      <Text size="xs" c="dimmed" fw={400}>
                        avvisi pagoPA aperti {formatCents(d.unpaidNoticesCents)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {formatDate(d.oldestUnpaidOn)}
                    <Text size="xs" c="dimmed">
                      {countOf(d.ageDays, 'giorno', 'giorni')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Stack gap={2}>
                      {d.steps.map((s) => (
                        <Group key={s.id} gap={4} wrap="nowrap">
                          <Badge size="xs" variant="light" color="gray" style={{ flexShrink: 0, overflow: 'visible' }}>
                            {DEBT_CHANNEL_SHORT[s.channel]}
                          </Badge>
                          <Text size="xs">
                            {s.stepName} del {formatDate(s.reachedOn)}
                            {s.deliveredOn ? ` · consegnata il ${formatDate(s.deliveredOn)}` : ''}
                            {s.receiptNumber ? ` · ric. ${s.receiptNumber}` : ''}
                          </Text>
                        </Group>
                      ))}
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    <EvidencePackButton payerId={d.payerId} municipalityId={input!.municipalityId} />
                  </Table.Td>
                </Table.Tr>
              ))}
              {r.rows === 0 && <EmptyRow colSpan={6 + r.schoolYears.length}>Nessun moroso persistente in questo comune{years.length ? ' per gli anni scelti' : ''}</EmptyRow>}
            </Table.Tbody>
          </Table>
        </Card>
      )}
    </Stack>
  );
}
