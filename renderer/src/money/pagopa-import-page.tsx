import { Alert, Badge, Button, FileInput, Group, Stack, Table, Text } from '@mantine/core';
import { TableHead } from '../components/table-parts';
import { IconCircleCheck, IconFileImport } from '@tabler/icons-react';
import { call } from '../api/client';
import { PageHeader } from '../components/page';
import { useFileImport } from '../components/file-import';
import { formatCents } from '../format/money';

/**
 * Rendicontazione pagoPA (P2): the partner's reporting spreadsheet becomes top-ups. Every row is
 * checked first (notice number, amount, date, pupil, IUV not yet credited) and shown with its
 * errors in Italian; the import registers all the valid rows of a file with no errors, or none.
 */
export function PagopaImportPage() {
  const { file, preview, busy, done, check, commit: record } = useFileImport((fileName, contentBase64) => call('ledger.pagopaImportPreview', { fileName, contentBase64 }));

  const commit = () =>
    record(
      async (p) => {
        const rows = p.rows.flatMap((r) => (r.row ? [r.row] : []));
        const out = await call('ledger.pagopaImportCommit', { fileName: p.fileName, rows });
        return `${out.imported} ricariche registrate, ${formatCents(out.totalCents)}`;
      },
      { success: 'Importazione completata', failure: 'Importazione non eseguita: nessuna ricarica registrata' },
    );

  const canImport = preview !== null && preview.invalid === 0 && preview.valid > 0;
  return (
    <Stack>
      <PageHeader title="Rendicontazione pagoPA" description="Importa il foglio delle ricevute pagoPA (.xlsx o .csv): ogni riga diventa una ricarica del servizio indicato" />
      <Group align="flex-end">
        <FileInput label="File di rendicontazione" placeholder="Scegliere il file .xlsx o .csv" accept=".xlsx,.csv" value={file} onChange={(f) => void check(f)} w={420} clearable leftSection={<IconFileImport size={16} />} />
        {busy === 'preview' && <Text size="sm">Controllo delle righe…</Text>}
      </Group>
      {!preview && !done && busy !== 'preview' && (
        <Alert color="gray" variant="light" title="Che cosa deve contenere il foglio" maw={900} data-testid="pagopa-help">
          <Text size="sm">
            Una riga per ricevuta, con l&apos;intestazione nella prima riga: <b>numero avviso</b> (o IUV), <b>importo</b>, <b>data pagamento</b> e, per trovare l&apos;alunno,
            il <b>codice utente</b> o il <b>codice fiscale alunno</b> (in mancanza, il codice fiscale del debitore se è quello dell&apos;alunno). Facoltativi: codice fiscale e
            nome del pagatore, servizio (se manca, dalla causale: trasporto se la nomina, altrimenti mensa), esito, IUR.
          </Text>
          <Text size="sm" mt="xs">
            Il foglio si controlla prima di registrare: le ricevute già accreditate o ripetute nel file e i numeri avviso errati sono segnalati riga per riga.
          </Text>
        </Alert>
      )}
      {done && (
        <Alert color="green" icon={<IconCircleCheck />} data-testid="pagopa-done">
          {done}
        </Alert>
      )}
      {preview && (
        <>
          <Alert color={preview.invalid ? 'orange' : 'blue'} variant="light" data-testid="pagopa-summary">
            {preview.valid} righe valide per {formatCents(preview.totalCents)}
            {preview.invalid ? `, ${preview.invalid} con errori: correggere il file e ricaricarlo (l'importazione registra tutte le righe o nessuna)` : ''}.
          </Alert>
          <Group justify="flex-end">
            <Button disabled={!canImport} loading={busy === 'commit'} onClick={() => void commit()}>
              Registra {preview.valid} ricariche
            </Button>
          </Group>
          <Table striped withTableBorder data-testid="pagopa-rows" style={{ fontVariantNumeric: 'tabular-nums' }}>
            <TableHead cells={[{ label: 'Riga', w: 60 }, 'Numero avviso', 'Alunno', 'Pagata il', { label: 'Importo', right: true }, 'Esito']} />
            <Table.Tbody>
              {preview.rows.map((r) => (
                <Table.Tr key={r.line}>
                  <Table.Td>{r.line}</Table.Td>
                  <Table.Td>{r.noticeNumber}</Table.Td>
                  <Table.Td>{r.row?.pupilName ?? r.pupilText}</Table.Td>
                  <Table.Td>{r.paidAtText}</Table.Td>
                  <Table.Td ta="right">{r.row ? formatCents(r.row.amountCents) : r.amountText}</Table.Td>
                  <Table.Td>
                    {r.ok ? (
                      <Badge color="green" variant="light">
                        Valida
                      </Badge>
                    ) : (
                      <Text size="sm" c="red">
                        {r.errors.join('; ')}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Stack>
  );
}
