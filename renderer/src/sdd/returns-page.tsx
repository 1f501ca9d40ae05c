import { useMemo, useState } from 'react';
import { Alert, Badge, Box, Button, FileInput, Group, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { IconCircleCheck, IconFileImport, IconReceiptOff } from '@tabler/icons-react';
import { call } from '../api/client';
import { notifySuccess, usePagedList, type RowOf } from '../api/hooks';
import { useSession } from '../auth/session';
import { useFileImport } from '../components/file-import';
import { PageHeader } from '../components/page';
import { PagedTable } from '../components/paged-table';
import { TableHead } from '../components/table-parts';
import type { Column } from '../components/virtual-table';
import { formatCents } from '../format/money';
import { formatDate } from '../format/dates';
import { ConfirmAction } from './batch-page';
import { FOLLOW_UP_COLOR, FOLLOW_UP_LABEL, FOLLOW_UP_OPTIONS, RETURN_OUTCOME_COLOR, RETURN_OUTCOME_LABEL, RETURN_TYPE_LABEL, RETURNS_FORMAT_LABEL, monthTitle, plural, type FollowUp } from './labels';

type ReturnRow = RowOf<'sdd.returns.list'>;

const mono = { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } as const;

/**
 * Esiti e insoluti (P6): the bank's outcome file (CBI status report / pain.002 XML, or an Excel of
 * returns) is checked line by line against the debits, then recorded all at once: each returned
 * debit is reversed in the pupil's account and the family is marked for follow-up. Below, the
 * returns recorded so far, by follow-up, with the pagoPA exception a supervisor may grant.
 */
export function ReturnsPage() {
  const { file, preview, busy, done, check, commit: record } = useFileImport((fileName, contentBase64) => call('sdd.returns.preview', { fileName, contentBase64 }));
  const [listVersion, setListVersion] = useState(0);

  const commit = () =>
    record(
      async (p) => {
        const out = await call('sdd.returns.commit', { fileName: p.fileName, sha256: p.sha256, lines: p.lines });
        return `${plural(out.recorded, 'insoluto registrato', 'insoluti registrati')} per ${formatCents(out.totalCents)}${out.skipped ? `; ${plural(out.skipped, 'riga già registrata', 'righe già registrate')}, senza modifiche` : ''}`;
      },
      { success: 'Esiti della banca importati', failure: 'Esiti non registrati: nessuna riga è stata salvata' },
      () => setListVersion((v) => v + 1),
    );

  const counts = preview
    ? { nuovo: preview.checks.filter((c) => c.outcome === 'nuovo').length, gia: preview.checks.filter((c) => c.outcome === 'gia_registrato').length, errore: preview.checks.filter((c) => c.outcome === 'errore').length }
    : null;
  const newCents = preview ? preview.checks.filter((c) => c.outcome === 'nuovo').reduce((s, c) => s + (c.amountCents ?? 0), 0) : 0;
  const canCommit = counts !== null && counts.errore === 0 && counts.nuovo > 0;

  return (
    <Stack>
      <PageHeader title="Esiti SDD" description="Importa l'esito della banca: gli addebiti respinti o stornati tornano debiti della famiglia, da seguire" />
      <Group align="flex-end">
        <FileInput
          label="File degli esiti della banca"
          placeholder="Scegliere il file XML (CBI o pain.002) o Excel"
          accept=".xml,.xlsx"
          value={file}
          onChange={(f) => void check(f)}
          w={420}
          clearable
          leftSection={<IconFileImport size={16} />}
        />
        {busy === 'preview' && <Text size="sm">Controllo delle righe…</Text>}
      </Group>
      {!preview && !done && busy !== 'preview' && (
        <Alert color="gray" variant="light" title="Quale file" maw={900} data-testid="returns-help">
          <Text size="sm">
            L&apos;esito che la banca mette a disposizione dopo la presentazione o dopo la scadenza: il flusso di ritorno CBI (esito SDD, struttura pain.002) o il pain.002 ISO, oppure
            il foglio Excel degli insoluti con l&apos;identificativo dell&apos;addebito (EndToEndId) e il codice motivo. Ogni riga si controlla prima di registrare; un file già
            importato non cambia nulla.
          </Text>
        </Alert>
      )}
      {done && (
        <Alert color="green" icon={<IconCircleCheck />} data-testid="returns-done">
          {done}
        </Alert>
      )}
      {preview && counts && (
        <>
          <Group justify="space-between" align="center">
            <Alert color={counts.errore ? 'red' : 'blue'} variant="light" data-testid="returns-summary" style={{ flex: 1 }}>
              {preview.fileName} ({RETURNS_FORMAT_LABEL[preview.format] ?? preview.format}): {plural(counts.nuovo, 'insoluto nuovo', 'insoluti nuovi')} per {formatCents(newCents)}
              {counts.gia ? `, ${plural(counts.gia, 'già registrato', 'già registrati')}` : ''}
              {counts.errore ? `, ${plural(counts.errore, 'riga con errori', 'righe con errori')}: nulla si registra finché il file ha errori` : ''}.
            </Alert>
            <Button disabled={!canCommit} loading={busy === 'commit'} onClick={() => void commit()} leftSection={<IconReceiptOff size={16} />}>
              Registra {plural(counts.nuovo, 'insoluto', 'insoluti')}
            </Button>
          </Group>
          <Box style={{ overflowX: 'auto' }}>
            <Table striped withTableBorder data-testid="returns-preview" style={{ fontVariantNumeric: 'tabular-nums' }} miw={1000}>
              <TableHead cells={[{ label: 'Riga', w: 55 }, 'Identificativo', 'Alunno / pagante', { label: 'Distinta', w: 80 }, 'Motivo della banca', { label: 'Importo', w: 110, right: true }, { label: 'Data', w: 100 }, 'Esito']} />
              <Table.Tbody>
                {preview.checks.map((c) => (
                  <Table.Tr key={c.line} data-testid="returns-preview-row">
                    <Table.Td>{c.line}</Table.Td>
                    <Table.Td style={mono}>{c.endToEndId}</Table.Td>
                    <Table.Td>
                      {c.pupilName ?? ''}
                      {c.payerName && (
                        <Text size="xs" c="dimmed">
                          {c.payerName}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{c.batchId ? `n. ${c.batchId}` : ''}</Table.Td>
                    <Table.Td>
                      <b>{c.reasonCode}</b> {c.reasonText}
                    </Table.Td>
                    <Table.Td ta="right">{formatCents(c.amountCents)}</Table.Td>
                    <Table.Td>{formatDate(c.returnedOn)}</Table.Td>
                    <Table.Td>
                      <Badge color={RETURN_OUTCOME_COLOR[c.outcome]} variant="light">
                        {RETURN_OUTCOME_LABEL[c.outcome]}
                      </Badge>
                      <Text size="xs" c={c.outcome === 'errore' ? 'red' : 'dimmed'}>
                        {c.message}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Box>
        </>
      )}
      <RecordedReturns key={listVersion} />
    </Stack>
  );
}

/** The returns recorded so far, newest first, by follow-up; the supervisor's P6 exception per payer. */
function RecordedReturns() {
  const session = useSession();
  const supervisor = session.can('supervisore');
  const [followUp, setFollowUp] = useState<string>('tutti');
  const [granting, setGranting] = useState<ReturnRow | null>(null);
  const [ending, setEnding] = useState<ReturnRow | null>(null);
  const filters = useMemo(() => ({ followUp: followUp === 'tutti' ? null : (followUp as FollowUp) }), [followUp]);
  const list = usePagedList('sdd.returns.list', filters);

  const columns: Column<ReturnRow>[] = [
    { key: 'date', header: 'Data', width: 95, render: (r) => formatDate(r.returnedOn) },
    {
      key: 'pupil',
      header: 'Alunno / pagante',
      width: 220,
      render: (r) => (
        <>
          {r.pupilName}{' '}
          <Text span size="xs" c="dimmed">
            {r.payerName}
          </Text>
        </>
      ),
    },
    { key: 'month', header: 'Distinta', width: 150, render: (r) => `${monthTitle(r.month)} · n. ${r.batchId}` },
    {
      key: 'reason',
      header: 'Motivo',
      render: (r) => (
        <span title={`${r.reasonCode} ${r.reasonText} (${RETURN_TYPE_LABEL[r.returnType]})`}>
          <b>{r.reasonCode}</b> {r.reasonText}
        </span>
      ),
    },
    { key: 'amount', header: 'Importo', width: 95, align: 'right', render: (r) => formatCents(r.amountCents) },
    {
      key: 'followUp',
      header: 'Seguito',
      width: 165,
      render: (r) => (
        <Badge variant="light" color={FOLLOW_UP_COLOR[r.followUp]} data-testid="return-follow-up">
          {FOLLOW_UP_LABEL[r.followUp]}
        </Badge>
      ),
    },
    {
      key: 'pagopa',
      header: 'Avviso pagoPA (P6)',
      width: 185,
      render: (r) =>
        r.pagopaException ? (
          <Group gap={6} wrap="nowrap">
            <Badge variant="light" color="teal">
              paga con avviso pagoPA
            </Badge>
            {supervisor && (
              <Button size="compact-xs" variant="subtle" onClick={() => setEnding(r)}>
                Torna all&apos;SDD
              </Button>
            )}
          </Group>
        ) : supervisor ? (
          <Button size="compact-xs" variant="light" onClick={() => setGranting(r)}>
            Paga con avviso pagoPA
          </Button>
        ) : (
          <Text size="xs" c="dimmed">
            addebito SDD
          </Text>
        ),
    },
  ];

  return (
    <Stack gap="xs" mt="md" style={{ height: 'max(380px, calc(100dvh - 420px))' }}>
      <Group justify="space-between" align="flex-end">
        <Text fw={600}>Insoluti registrati</Text>
        <SegmentedControl
          aria-label="Filtra per seguito"
          data-testid="returns-filter"
          value={followUp}
          onChange={setFollowUp}
          data={[{ value: 'tutti', label: 'Tutti' }, ...FOLLOW_UP_OPTIONS]}
          size="xs"
        />
      </Group>
      <PagedTable list={list} noun={['insoluto', 'insoluti']} testId="returns-table" columns={columns} rowKey={(r) => r.id} empty="Nessun insoluto registrato" />
      {ending && ending.pagopaExceptionId !== null && (
        <ConfirmAction
          title={`Fine dell'avviso pagoPA per ${ending.payerName}`}
          confirmLabel="Chiudi l'eccezione"
          onClose={() => setEnding(null)}
          onConfirm={async () => {
            await call('sdd.exceptions.end', { exceptionId: ending.pagopaExceptionId! });
            notifySuccess(`${ending.payerName} torna all'addebito SDD dalla prossima distinta`, 'Eccezione pagoPA (P6)');
            list.reload();
          }}
        >
          <Text size="sm">
            Chiudendo l&apos;eccezione, gli alunni di {ending.payerName} tornano nelle distinte SDD dalla prossima preparazione (con un mandato attivo e non bloccato).
          </Text>
        </ConfirmAction>
      )}
      {granting && (
        <ConfirmAction
          title={`Avviso pagoPA per ${granting.payerName}`}
          confirmLabel="Concedi l'eccezione"
          reasonLabel="Motivo dell'eccezione"
          onClose={() => setGranting(null)}
          onConfirm={async (reason) => {
            await call('sdd.exceptions.grant', { payerId: granting.payerId, ground: 'insoluti', reason });
            notifySuccess(`${granting.payerName} pagherà con avviso pagoPA finché l'eccezione resta aperta`, 'Eccezione pagoPA (P6)');
            list.reload();
          }}
        >
          <Text size="sm">
            Per eccezione (P6), {granting.payerName} paga il debito di {formatCents(granting.amountCents)} e i mesi successivi con avviso pagoPA invece che con l&apos;addebito SDD:
            finché l&apos;eccezione resta aperta, i suoi alunni sono esclusi dalle distinte con questo motivo.
          </Text>
        </ConfirmAction>
      )}
    </Stack>
  );
}
