import { useState } from 'react';
import {
  Alert,
  Button,
  Grid,
  Group,
  Modal,
  Paper,
  Progress,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconDownload, IconFileSpreadsheet, IconRefresh, IconTemplate, IconUpload, IconX } from '@tabler/icons-react';
import type { ImportPreviewResult } from '../../../electron/imports/procedures';
import { call, errorMessage, type ProcOutput } from '../api/client';
import { notifyError, notifySuccess, useQuery } from '../api/hooks';
import { PageHeader } from '../components/page';
import { downloadBase64 } from '../components/export-button';
import { useLookups, yearOptions } from '../master-data/lookups';
import { useJob } from './use-job';
import { readBase64 } from '../components/file-base64';
import { fmt, MappingCard, PreviewTable, QuestionsCard, righe, type Answer, type Answers, type Mapping, type Target } from './preview-parts';

type CommitResult = ProcOutput<'imports.commit'>;

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The choices a preview is run with: the columns, the answers about ambiguous columns, the school year. */
interface Choices {
  mapping?: Mapping;
  answers?: Answers;
  schoolYearId?: number;
}

/**
 * Import from the previous system: pick the file, the backend reads and checks it as a job (with
 * progress), the operator fixes the column mapping and answers the ambiguous columns (kept for the
 * next file with the same headers), sees every row's errors and warnings in Italian, and imports
 * either every row (all or nothing) or, after confirming their number, only the valid ones; the
 * rejected rows come back as a spreadsheet with an «Errore» column, to fix and import again.
 */
export function ImportPage() {
  const lookups = useLookups();
  const targets = useQuery('imports.targets', {});
  const [file, setFile] = useState<File | null>(null);
  const [content, setContent] = useState<string | null>(null);
  const [schoolYearId, setSchoolYearId] = useState<string | null>(null);
  const { progress, follow } = useJob();
  const [preview, setPreview] = useState<ImportPreviewResult | null>(null);
  const [mapping, setMapping] = useState<Mapping>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [committing, setCommitting] = useState(false);
  const [committed, setCommitted] = useState<(CommitResult & { previewId: string }) | null>(null);
  const [onlyErrors, setOnlyErrors] = useState<'tutte' | 'errori'>('tutte');
  const [confirmValid, setConfirmValid] = useState(false);
  const [downloading, setDownloading] = useState(false);

  async function runPreview(base64: string, fileName: string, choices: Choices = {}) {
    setFailure(null);
    setCommitted(null);
    setPreview(null);
    try {
      const started = await call('imports.preview', { fileName, contentBase64: base64, ...choices });
      const end = await follow(started.jobId, 'Lettura del file');
      if (end === null) return; // the page was left
      if (!end.ok) {
        setFailure(end.message || 'Anteprima non completata');
        return;
      }
      const result = end.job.kind === 'importazione' ? end.job.result : null;
      if (!result) {
        setFailure("Anteprima non completata: il programma non ha restituito il risultato dell'importazione");
        return;
      }
      setPreview(result);
      setMapping(result.mapping);
      setSchoolYearId(result.schoolYear ? String(result.schoolYear.id) : null);
      setOnlyErrors(result.errorRows > 0 ? 'errori' : 'tutte');
    } catch (err) {
      setFailure(errorMessage(err));
    }
  }

  async function choose(f: File | null) {
    setFile(f);
    setPreview(null);
    setCommitted(null);
    setFailure(null);
    setContent(null);
    if (!f) return;
    if (!/\.(xlsx|csv)$/i.test(f.name)) {
      setFailure('Scegliere un file Excel (.xlsx) o CSV (.csv)');
      return;
    }
    try {
      const b64 = await readBase64(f);
      setContent(b64);
      // no choices: those kept for the file's layout, else the proposal and the current school year
      await runPreview(b64, f.name);
    } catch (err) {
      setFailure(errorMessage(err));
    }
  }

  /** Keeps the operator's choices for this layout when they changed (audited), then checks the file again with them. */
  async function recheck(next: { mapping?: Mapping; answers?: Answers; schoolYearId?: string | null } = {}) {
    if (!preview || !content || !file) return;
    const m = clean(next.mapping ?? mapping);
    // an answer the mapping card has since contradicted is dropped: the card wins
    const answers = consistentAnswers(next.answers ?? preview.answers, m);
    const year = next.schoolYearId !== undefined ? next.schoolYearId : schoolYearId;
    const changed =
      JSON.stringify(m) !== JSON.stringify(clean(preview.mapping)) ||
      JSON.stringify(answers) !== JSON.stringify(preview.answers) ||
      (year ? Number(year) : null) !== (preview.schoolYear?.id ?? null);
    if (changed) {
      try {
        await call('imports.rememberLayout', { columns: preview.columns, mapping: m, answers, schoolYearId: year ? Number(year) : null });
      } catch (err) {
        notifyError(err, 'Scelte non memorizzate');
      }
    }
    await runPreview(content, file.name, { mapping: m, answers, schoolYearId: year ? Number(year) : undefined });
  }

  function answer(column: string, a: Answer) {
    if (!preview) return;
    // the answer decides the column: the mapping card follows
    const m: Mapping = { ...mapping };
    const q = preview.questions.find((x) => x.column === column);
    for (const f of q?.fields ?? []) if (m[f] === column) delete m[f];
    if (a !== 'nessuno') m[a] = column;
    void recheck({ mapping: m, answers: { ...preview.answers, [column]: a } });
  }

  /** The job stops at its next chunk; the polling sees it end as «annullato» with its message. */
  async function cancel() {
    if (!progress) return;
    try {
      await call('jobs.cancel', { id: progress.jobId });
    } catch {
      // already finished: nothing to stop
    }
  }

  async function commit(rows: 'tutte' | 'valide') {
    if (!preview) return;
    setCommitting(true);
    try {
      const out = await call('imports.commit', { previewId: preview.previewId, rows, ...(rows === 'valide' ? { confirmedValidRows: preview.validRows } : {}) });
      setCommitted({ ...out, previewId: preview.previewId });
      setPreview(null);
      setConfirmValid(false);
      notifySuccess(`${righe(out.importedRows)} importate da ${out.fileName}`, 'Importazione completata');
      await lookups.reload();
    } catch (err) {
      notifyError(err, 'Importazione non eseguita: nessun dato salvato');
    } finally {
      setCommitting(false);
    }
  }

  async function download(name: 'imports.template' | 'imports.rejectedRows', previewId?: string) {
    setDownloading(true);
    try {
      const out = name === 'imports.template' ? await call('imports.template', {}) : await call('imports.rejectedRows', { previewId: previewId! });
      downloadBase64(out.fileName, out.contentBase64, XLSX_MIME);
    } catch (err) {
      notifyError(err, 'Download non riuscito');
    } finally {
      setDownloading(false);
    }
  }

  const targetList = targets.data ?? [];
  const label = (field: string) => targetList.find((t) => t.field === field)?.label ?? field;
  const mappingChanged = preview ? JSON.stringify(clean(mapping)) !== JSON.stringify(clean(preview.mapping)) : false;
  const openQuestions = preview ? preview.questions.filter((q) => q.answer === null).length : 0;
  const ready = !!preview && preview.unmappedRequired.length === 0 && openQuestions === 0 && !mappingChanged && preview.totalRows > 0;
  const canImportAll = ready && preview.errorRows === 0;
  const canImportValid = ready && preview.errorRows > 0 && preview.validRows > 0;
  const yearSource = preview?.schoolYear?.source;

  return (
    <Stack gap="sm">
      <PageHeader
        title="Importazione"
        description="Alunni, paganti e iscrizioni dal foglio Excel o CSV del sistema precedente: una riga per alunno"
        actions={
          <Button variant="default" leftSection={<IconTemplate size={16} />} loading={downloading && !preview} onClick={() => void download('imports.template')} data-testid="import-template">
            Scarica il modello
          </Button>
        }
      />
      {committed && <CommitSummary result={committed} onRejected={() => void download('imports.rejectedRows', committed.previewId)} busy={downloading} />}
      <Paper withBorder p="md" radius="sm">
        <Grid align="flex-end" gutter="sm">
          <Grid.Col span={{ base: 12, md: 6 }}>
            <FileField file={file} disabled={!!progress || committing} onChange={(f) => void choose(f)} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 3 }}>
            <Select
              label="Anno scolastico delle iscrizioni"
              description={
                yearSource === 'memorizzato'
                  ? 'Per le righe senza anno: scelto l’ultima volta per questo tracciato'
                  : yearSource === 'corrente'
                    ? 'Per le righe senza anno: l’anno in corso'
                    : 'Per le righe senza anno nel file'
              }
              placeholder="Anno in corso"
              data={yearOptions(lookups.schoolYears)}
              value={schoolYearId}
              onChange={(v) => {
                setSchoolYearId(v);
                if (preview && v) void recheck({ schoolYearId: v });
              }}
              allowDeselect={false}
              disabled={!!progress || !preview}
              data-testid="import-year"
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 3 }}>
            <Button
              fullWidth
              variant={mappingChanged ? 'filled' : 'default'}
              leftSection={<IconRefresh size={16} />}
              disabled={!content || !file || !!progress || !preview}
              onClick={() => void recheck()}
            >
              {mappingChanged ? 'Ricontrolla con le nuove scelte' : 'Ricontrolla il file'}
            </Button>
          </Grid.Col>
        </Grid>
        {progress && (
          <Stack gap={4} mt="md" data-testid="import-progress">
            <Group justify="space-between">
              <Text size="sm">{progress.message || 'Elaborazione…'}</Text>
              <Group gap="xs">
                {progress.total > 0 && (
                  <Text size="sm" c="dimmed">
                    {fmt.format(progress.done)} / {fmt.format(progress.total)}
                  </Text>
                )}
                <Button size="compact-xs" variant="subtle" color="red" onClick={() => void cancel()}>
                  Annulla
                </Button>
              </Group>
            </Group>
            <Progress value={progress.total ? (progress.done / progress.total) * 100 : 5} animated striped />
          </Stack>
        )}
        {failure && (
          <Alert color="red" mt="md" icon={<IconX />} title="Anteprima non disponibile">
            {failure}
          </Alert>
        )}
      </Paper>

      {!preview && !progress && targetList.length > 0 && <ExpectedColumns targets={targetList} />}
      {preview && (
        <>
          <QuestionsCard questions={preview.questions} onAnswer={answer} disabled={!!progress} />
          <PreviewSummary preview={preview} label={label} />
          <Grid gutter="sm" align="stretch">
            <Grid.Col span={{ base: 12, lg: 4 }}>
              <MappingCard targets={targetList} columns={preview.columns} mapping={mapping} onChange={setMapping} changed={mappingChanged} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 8 }}>
              <Paper withBorder p="md" radius="sm" h="100%">
                <Stack gap="xs" h="100%">
                  <Group justify="space-between">
                    <Title order={4}>Anteprima delle righe</Title>
                    <SegmentedControl
                      size="xs"
                      value={onlyErrors}
                      onChange={(v) => setOnlyErrors(v as 'tutte' | 'errori')}
                      data={[
                        { value: 'tutte', label: 'Tutte' },
                        { value: 'errori', label: `Con errori (${fmt.format(preview.errorRows)})` },
                      ]}
                    />
                  </Group>
                  <PreviewTable preview={preview} onlyErrors={onlyErrors === 'errori'} label={label} />
                  {preview.rowsShown < preview.totalRows && (
                    <Text size="xs" c="dimmed">
                      Mostrate {fmt.format(preview.rowsShown)} righe su {fmt.format(preview.totalRows)}: tutte quelle con errori e le prime senza.
                    </Text>
                  )}
                </Stack>
              </Paper>
            </Grid.Col>
          </Grid>
          <Paper withBorder p="sm" radius="sm">
            <Group justify="space-between" wrap="nowrap">
              <Text size="sm" c="dimmed" style={{ flex: 1 }}>
                {blocker(preview, mappingChanged, openQuestions)}
              </Text>
              <Group gap="xs" wrap="nowrap">
                {preview.errorRows > 0 && (
                  <Button variant="default" leftSection={<IconDownload size={16} />} loading={downloading} onClick={() => void download('imports.rejectedRows', preview.previewId)} data-testid="import-rejected">
                    Scarica le righe con errori
                  </Button>
                )}
                {preview.errorRows > 0 && (
                  <Button color="orange" leftSection={<IconUpload size={16} />} disabled={!canImportValid} onClick={() => setConfirmValid(true)} data-testid="import-valid">
                    Importa solo le righe valide…
                  </Button>
                )}
                <Button leftSection={<IconUpload size={16} />} disabled={!canImportAll} loading={committing && !confirmValid} onClick={() => void commit('tutte')} data-testid="import-commit">
                  Importa {preview.totalRows === 1 ? 'la riga' : `tutte le ${righe(preview.totalRows)}`}
                </Button>
              </Group>
            </Group>
          </Paper>
          <Modal opened={confirmValid} onClose={() => setConfirmValid(false)} title="Importare solo le righe valide?" size="lg" centered>
            <Stack gap="sm">
              <Text size="sm">
                Il file ha {righe(preview.totalRows)}: {righe(preview.validRows)} {preview.validRows === 1 ? 'è valida' : 'sono valide'} e {righe(preview.errorRows)}{' '}
                {preview.errorRows === 1 ? 'ha' : 'hanno'} errori.
              </Text>
              <Text size="sm">
                Vengono importate solo le righe valide, tutte insieme; le {righe(preview.errorRows)} con errori restano fuori e si possono scaricare in un foglio con la
                colonna «Errore», correggere e importare di nuovo (le righe già importate vengono riconosciute e non duplicate).
              </Text>
              <Group justify="flex-end" mt="sm">
                <Button variant="default" onClick={() => setConfirmValid(false)}>
                  Annulla
                </Button>
                <Button color="orange" loading={committing} onClick={() => void commit('valide')} data-testid="import-valid-confirm">
                  Importa solo {preview.validRows === 1 ? 'la riga valida' : `le ${fmt.format(preview.validRows)} righe valide`} su {fmt.format(preview.totalRows)}
                </Button>
              </Group>
            </Stack>
          </Modal>
        </>
      )}
    </Stack>
  );
}

/** Why the import buttons are disabled, or what they do. */
function blocker(preview: ImportPreviewResult, mappingChanged: boolean, openQuestions: number): string {
  if (mappingChanged) return 'Colonne cambiate: ricontrollare il file prima di importare';
  if (openQuestions) return 'Rispondere alla domanda sulle colonne prima di importare';
  if (preview.unmappedRequired.length) return 'Scegliere una colonna per ogni campo obbligatorio';
  if (preview.errorRows === 0) return 'Tutte le righe sono valide: si importano tutte insieme, in una sola operazione.';
  if (preview.validRows === 0) return 'Nessuna riga è valida: correggere il file (si possono scaricare le righe con errori) e ricaricarlo';
  return `Si importa tutto solo se nessuna riga ha errori: correggere il file e ricaricarlo, oppure importare solo le ${righe(preview.validRows)} valide su ${fmt.format(preview.totalRows)}.`;
}

function FileField({ file, disabled, onChange }: { file: File | null; disabled: boolean; onChange: (f: File | null) => void }) {
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        File da importare
      </Text>
      <Group gap="xs" wrap="nowrap">
        <Button component="label" variant="default" leftSection={<IconFileSpreadsheet size={16} />} disabled={disabled}>
          Scegli il file…
          <input
            type="file"
            hidden
            accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
            disabled={disabled}
            data-testid="import-file"
            onChange={(e) => {
              const f = e.currentTarget.files?.[0] ?? null;
              e.currentTarget.value = ''; // the same file chosen again (fixed) is read again
              onChange(f);
            }}
          />
        </Button>
        <Text size="sm" c={file ? undefined : 'dimmed'} truncate>
          {file ? file.name : 'Un file .xlsx o .csv'}
        </Text>
      </Group>
    </Stack>
  );
}

/** What the file should contain: every field the import fills, the mandatory ones, the formats. */
function ExpectedColumns({ targets }: { targets: Target[] }) {
  const groups = [...new Set(targets.map((t) => t.groupLabel))];
  return (
    <Paper withBorder p="md" radius="sm">
      <Title order={4}>Che cosa deve contenere il file</Title>
      <Text size="sm" c="dimmed" mb="sm">
        Una riga per alunno, con il suo pagante e l'iscrizione; la prima riga contiene le intestazioni delle colonne («Scarica il modello» dà un file pronto). Il
        programma propone da solo quale colonna corrisponde a quale dato e ricorda le scelte per i file con le stesse colonne. Nulla viene salvato finché non si
        preme «Importa».
      </Text>
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="lg">
        {groups.map((g) => (
          <Stack gap={2} key={g}>
            <Text size="xs" fw={700} tt="uppercase" c="dimmed">
              {g}
            </Text>
            {targets
              .filter((t) => t.groupLabel === g)
              .map((t) => (
                <Text size="sm" key={t.field}>
                  {t.label}
                  {t.required && <Text span c="red"> *</Text>}
                  {t.hint && (
                    <Text span size="xs" c="dimmed">
                      {' '}
                      — {t.hint}
                    </Text>
                  )}
                </Text>
              ))}
          </Stack>
        ))}
      </SimpleGrid>
      <Text size="xs" c="dimmed" mt="sm">
        <Text span c="red">*</Text> obbligatorio
      </Text>
    </Paper>
  );
}

/** The answers that still agree with the mapping: a column answered «field» must still fill it; «nessuno» must still fill nothing. */
function consistentAnswers(answers: Answers, m: Mapping): Answers {
  const filled = m as Record<string, string | undefined>;
  const out: Answers = {};
  for (const [column, a] of Object.entries(answers)) {
    const agrees = a === 'nessuno' ? !Object.values(filled).includes(column) : filled[a] === column;
    if (agrees) out[column] = a;
  }
  return out;
}

function clean(m: Mapping): Mapping {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m).sort(([a], [b]) => a.localeCompare(b))) if (v) out[k] = v;
  return out;
}

/** One figure of a preview or of an import: «Alunni nuovi: 12». */
function Count({ label, value, testId }: { label: string; value: number; testId?: string }) {
  return (
    <Text size="sm">
      {label}: <b data-testid={testId}>{fmt.format(value)}</b>
    </Text>
  );
}

function PreviewSummary({ preview, label }: { preview: ImportPreviewResult; label: (f: string) => string }) {
  const s = preview.summary;
  const ok = preview.errorRows === 0 && preview.unmappedRequired.length === 0;
  return (
    <Paper withBorder p="md" radius="sm" data-testid="import-summary">
      <Group justify="space-between" align="flex-start">
        <Group gap="sm" wrap="nowrap">
          <ThemeIcon size={38} radius="xl" variant="light" color={ok ? 'green' : 'red'}>
            {ok ? <IconCheck /> : <IconAlertTriangle />}
          </ThemeIcon>
          <div>
            <Text fw={600}>{preview.fileName}</Text>
            <Text size="sm" c={ok ? 'green.8' : 'red.8'} data-testid="import-verdict">
              {ok
                ? `${righe(preview.totalRows)} senza errori: ${preview.totalRows === 1 ? 'pronta' : 'pronte'} da importare`
                : `${fmt.format(preview.errorRows)} ${preview.errorRows === 1 ? 'riga con errori' : 'righe con errori'} su ${fmt.format(preview.totalRows)}, ${fmt.format(preview.validRows)} ${preview.validRows === 1 ? 'valida' : 'valide'}`}
            </Text>
            {preview.layout.remembered && (
              <Text size="xs" c="dimmed" data-testid="import-layout">
                Colonne e anno come scelti l'ultima volta per un file con le stesse intestazioni
              </Text>
            )}
          </div>
        </Group>
        <SimpleGrid cols={3} spacing="lg" verticalSpacing={2}>
          <Count label="Alunni nuovi" value={s.newPupils} />
          <Count label="Paganti nuovi" value={s.newPayers} />
          <Count label="Iscrizioni" value={s.enrollments} />
          <Count label="Alunni già presenti" value={s.existingPupils} />
          <Count label="Paganti già presenti" value={s.existingPayers} />
          <Count label="Già iscritti, saltati" value={s.skippedEnrollments} />
        </SimpleGrid>
      </Group>
      {preview.unmappedRequired.length > 0 && (
        <Alert color="red" variant="light" mt="sm" p="xs">
          <Text size="sm">Nessuna colonna per i campi obbligatori: {preview.unmappedRequired.map(label).join(', ')}.</Text>
        </Alert>
      )}
      {s.newClasses.length > 0 && (
        <Text size="sm" c="dimmed" mt="xs">
          Classi che verranno create: {s.newClasses.join(', ')}
        </Text>
      )}
      {preview.warningRows > 0 && (
        <Text size="sm" c="orange.8" mt="xs" data-testid="import-warnings">
          {righe(preview.warningRows)} con avvisi (importabili): vedere la colonna «Avvisi» dell'anteprima.
        </Text>
      )}
    </Paper>
  );
}

function CommitSummary({ result, onRejected, busy }: { result: CommitResult; onRejected: () => void; busy: boolean }) {
  return (
    <Alert color="green" icon={<IconCheck />} title={`Importazione di ${result.fileName} completata`} data-testid="import-result">
      <SimpleGrid cols={3} spacing="lg" verticalSpacing={2}>
        <Count label="Righe importate" value={result.importedRows} testId="import-imported-rows" />
        <Count label="Alunni nuovi" value={result.newPupils} testId="import-new-pupils" />
        <Count label="Paganti nuovi" value={result.newPayers} />
        <Count label="Iscrizioni create" value={result.enrollments} testId="import-enrollments" />
        <Count label="Alunni già presenti" value={result.existingPupils} />
        <Count label="Già iscritti, saltati" value={result.skippedEnrollments} />
      </SimpleGrid>
      {result.newClasses.length > 0 && (
        <Text size="sm" mt="xs">
          Classi create: {result.newClasses.join(', ')}
        </Text>
      )}
      {result.rejectedRows > 0 && (
        <Group mt="sm" gap="sm">
          <Text size="sm" c="orange.9" data-testid="import-rejected-count">
            {righe(result.rejectedRows)} con errori non {result.rejectedRows === 1 ? 'è stata importata' : 'sono state importate'}: scaricarle, correggerle e importarle di
            nuovo.
          </Text>
          <Button size="xs" variant="white" color="orange" leftSection={<IconDownload size={14} />} loading={busy} onClick={onRejected} data-testid="import-result-rejected">
            Scarica le righe scartate
          </Button>
        </Group>
      )}
    </Alert>
  );
}
