import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Group, Loader, NumberInput, Select, Stack, Table, Text } from '@mantine/core';
import { EmptyRow } from '../components/table-parts';
import { IconAlertTriangle, IconCircleCheck, IconFileSpreadsheet, IconFileTypePdf, IconFileZip } from '@tabler/icons-react';
import { call, type ProcOutput } from '../api/client';
import { useQuery } from '../api/hooks';
import { PageHeader } from '../components/page';
import { formatCents } from '../format/money';
import { municipalityOptions, romeToday, useLookups } from '../master-data/lookups';
import { navigate } from '../app/router';
import { useDocuments, type GeneratedFile } from './use-documents';
import { plural } from '../format/words';

type Row = ProcOutput<'tax730.list'>['rows'][number];
type Issue = ProcOutput<'tax730.list'>['issues'][number];

const ISSUE_KIND: Record<Issue['kind'], string> = { ditta: 'Ditta', pagante: 'Pagante', alunno: 'Alunno', secondo_genitore: 'Secondo genitore' };

/**
 * Dichiarazioni 730 (F1): for a calendar year, what each payer paid for each pupil by traceable
 * means. First the check of the codici fiscali (the families are told to check them, the office
 * fixes them before printing), then one PDF per pupil and payer, the whole batch, the Excel list.
 */
export function Tax730Page() {
  const lookups = useLookups();
  const [year, setYear] = useState<number>(Number(romeToday().slice(0, 4)) - 1);
  const [municipalityId, setMunicipalityId] = useState<string | null>(null);
  const { busy, generate } = useDocuments();
  const input = { year, municipalityId: municipalityId ? Number(municipalityId) : undefined };
  const list = useQuery('tax730.list', year >= 2000 && year <= 2100 ? input : null);
  // while another year or municipality loads, the previous answer is not shown as this one's
  const current = list.loading ? null : list.data;
  const rows = (current?.rows ?? []).filter((r) => r.amountCents > 0);
  const issues = current?.issues ?? [];

  const file = (key: string, get: () => Promise<GeneratedFile & { count: number }>, title: string) =>
    generate(key, get, (f) => [`${f.fileName} (${plural(f.count, 'documento', 'documenti')})`, title]);

  return (
    <Stack>
      <PageHeader
        title="Dichiarazioni 730"
        description="Spese della mensa pagate nell'anno solare con mezzi tracciabili, per pagante e alunno"
        actions={
          <>
            <Button variant="default" leftSection={<IconFileSpreadsheet size={16} />} loading={busy === 'xlsx'} disabled={rows.length === 0} onClick={() => void file('xlsx', () => call('tax730.xlsx', input), 'Elenco 730 in Excel')}>
              Elenco Excel
            </Button>
            <Button leftSection={<IconFileZip size={16} />} loading={busy === 'batch'} disabled={rows.length === 0} onClick={() => void file('batch', () => call('tax730.batch', input), 'Dichiarazioni 730 generate')}>
              Genera tutte (zip)
            </Button>
          </>
        }
      />
      <Group align="flex-end">
        <NumberInput label="Anno solare" value={year} onChange={(v) => setYear(Number(v))} min={2000} max={2100} w={120} allowDecimal={false} thousandSeparator="" />
        <Select label="Comune" placeholder="Tutti i comuni" clearable data={municipalityOptions(lookups.municipalities)} value={municipalityId} onChange={setMunicipalityId} w={220} />
      </Group>
      {list.loading && <Loader size="sm" />}
      {current &&
        (issues.length === 0 ? (
          <Alert color="green" variant="light" icon={<IconCircleCheck />} data-testid="tax730-check">
            Controllo superato: codici fiscali di paganti e alunni e dati della ditta in ordine. {rows.length} dichiarazioni da emettere.
          </Alert>
        ) : (
          <Alert color="orange" variant="light" icon={<IconAlertTriangle />} title={`Da sistemare prima di emettere: ${issues.length}`} data-testid="tax730-check">
            <Table>
              <Table.Tbody>
                {issues.map((i, n) => (
                  <Table.Tr key={n}>
                    <Table.Td w={140}>{ISSUE_KIND[i.kind]}</Table.Td>
                    <Table.Td>{i.name}</Table.Td>
                    <Table.Td w={180} style={{ fontFamily: 'var(--mantine-font-family-monospace)' }}>
                      {i.taxCode || '—'}
                    </Table.Td>
                    <Table.Td>
                      {i.message}
                      {i.kind === 'ditta' && (
                        <Anchor size="sm" ml="xs" onClick={() => navigate('/anagrafiche/ditta')}>
                          Apri Dati della ditta
                        </Anchor>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Text size="sm" mt="xs">
              Correggere i codici fiscali nelle schede di alunni e paganti (o i dati della ditta), poi tornare qui: le dichiarazioni con dati mancanti non vengono generate.
            </Text>
          </Alert>
        ))}
      <Table striped withTableBorder highlightOnHover data-testid="tax730-table" style={{ fontVariantNumeric: 'tabular-nums' }}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Pagante</Table.Th>
            <Table.Th>Alunno</Table.Th>
            <Table.Th>Scuola</Table.Th>
            <Table.Th ta="right" style={{ whiteSpace: 'nowrap' }}>
              Importo 730
            </Table.Th>
            <Table.Th ta="right" style={{ whiteSpace: 'nowrap' }}>
              Contanti esclusi
            </Table.Th>
            <Table.Th>Intestazione</Table.Th>
            {/* wide enough for the whole «Dati da sistemare» badge at 1366 */}
            <Table.Th w={170} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r: Row) => (
            <Table.Tr key={`${r.payerId}-${r.pupilId}`}>
              <Table.Td>
                {r.payerName}
                <Text size="xs" c="dimmed">
                  {r.payerTaxCode}
                </Text>
              </Table.Td>
              <Table.Td>
                {r.pupilName}
                <Text size="xs" c="dimmed">
                  {r.pupilTaxCode}
                </Text>
              </Table.Td>
              <Table.Td>{r.schoolName}</Table.Td>
              <Table.Td ta="right" fw={600}>
                {formatCents(r.amountCents)}
              </Table.Td>
              <Table.Td ta="right">{r.cashCents ? formatCents(r.cashCents) : ''}</Table.Td>
              <Table.Td>{r.namesPupil ? r.shares.map((s) => `${s.name} ${s.pct}%`).join(', ') : 'Al pagante'}</Table.Td>
              <Table.Td>
                {r.ready ? (
                  <Button
                    size="xs"
                    variant="light"
                    leftSection={<IconFileTypePdf size={14} />}
                    loading={busy === `pdf-${r.payerId}-${r.pupilId}`}
                    onClick={() => void file(`pdf-${r.payerId}-${r.pupilId}`, () => call('tax730.pdf', { ...input, pupilId: r.pupilId, payerId: r.payerId! }), 'Dichiarazione 730')}
                  >
                    PDF
                  </Button>
                ) : (
                  <Badge color="orange" variant="light" style={{ flexShrink: 0 }} miw={150}>
                    Dati da sistemare
                  </Badge>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
          {current && rows.length === 0 && <EmptyRow colSpan={7}>Nessun pagamento tracciabile nel {year}</EmptyRow>}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
