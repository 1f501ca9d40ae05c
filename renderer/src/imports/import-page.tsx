import { useMemo, useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Card,
  FileInput,
  Grid,
  Group,
  List,
  Paper,
  Progress,
  ScrollArea,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  ThemeIcon,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconFileSpreadsheet, IconRefresh, IconUpload, IconX } from '@tabler/icons-react';
import type { ImportPreviewResult } from '../../../electron/imports/procedures';
import { call, errorMessage, type ProcInput, type ProcOutput } from '../api/client';
import { arraySource, notifyError, notifySuccess, useQuery } from '../api/hooks';
import { VirtualTable, type Column } from '../components/virtual-table';
import { PageHeader } from '../components/page';
import { useLookups, yearOptions } from '../master-data/lookups';
import { useJob } from './use-job';
import { readBase64 } from '../components/file-base64';

type Mapping = NonNullable<ProcInput<'imports.preview'>['mapping']>;
type Target = ProcOutput<'imports.targets'>[number];
type PreviewRow = ImportPreviewResult['rows'][number];
type CommitResult = ProcOutput<'imports.commit'>;

const fmt = new Intl.NumberFormat('it-IT');

/**
 * Import from the previous system: pick the file, the backend reads and checks it as a job (with
 * progress), the operator fixes the column mapping, sees every row's errors in Italian, and imports
 * only when no row has errors, all or nothing.
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
  /** the school year the shown preview was checked with */
  const [previewYear, setPreviewYear] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [committing, setCommitting] = useState(false);
  const [committed, setCommitted] = useState<CommitResult | null>(null);
  const [onlyErrors, setOnlyErrors] = useState<'tutte' | 'errori'>('tutte');
  async function runPreview(base64: string, fileName: string, map?: Mapping) {
    setFailure(null);
    setCommitted(null);
    setPreview(null);
    try {
      const started = await call('imports.preview', {
        fileName,
        contentBase64: base64,
        mapping: map,
        schoolYearId: schoolYearId ? Number(schoolYearId) : undefined,
      });
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
      setPreviewYear(schoolYearId);
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
      await runPreview(b64, f.name);
    } catch (err) {
      setFailure(errorMessage(err));
    }
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

  async function commit() {
    if (!preview) return;
    setCommitting(true);
    try {
      const out = await call('imports.commit', { previewId: preview.previewId });
      setCommitted(out);
      setPreview(null);
      notifySuccess(`${fmt.format(out.totalRows)} righe importate da ${out.fileName}`, 'Importazione completata');
      await lookups.reload();
    } catch (err) {
      notifyError(err, 'Importazione non eseguita: nessun dato salvato');
    } finally {
      setCommitting(false);
    }
  }

  const targetList = targets.data ?? [];
  const label = (field: string) => targetList.find((t) => t.field === field)?.label ?? field;
  const mappingChanged = preview ? JSON.stringify(clean(mapping)) !== JSON.stringify(clean(preview.mapping)) || previewYear !== schoolYearId : false;
  const canImport = !!preview && preview.errorRows === 0 && preview.unmappedRequired.length === 0 && !mappingChanged && preview.totalRows > 0;

  return (
    <Stack gap="sm">
      <PageHeader title="Importazione" description="Alunni, paganti e iscrizioni dal foglio Excel o CSV del sistema precedente: una riga per alunno" />
      {committed && <CommitSummary result={committed} />}
      <Paper withBorder p="md" radius="sm">
        <Grid align="flex-end" gutter="sm">
          <Grid.Col span={{ base: 12, md: 6 }}>
            <FileInput
              label="File da importare"
              placeholder="Scegliere un file .xlsx o .csv"
              accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
              leftSection={<IconFileSpreadsheet size={16} />}
              value={file}
              onChange={(f) => void choose(f)}
              clearable
              disabled={!!progress || committing}
              data-testid="import-file"
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 3 }}>
            <Select
              label="Anno scolastico delle iscrizioni"
              description="Se il file non ha la colonna"
              placeholder="Dalla colonna del file"
              clearable
              data={yearOptions(lookups.schoolYears)}
              value={schoolYearId}
              onChange={setSchoolYearId}
              disabled={!!progress}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 3 }}>
            <Button
              fullWidth
              variant="default"
              leftSection={<IconRefresh size={16} />}
              disabled={!content || !file || !!progress}
              onClick={() => content && file && void runPreview(content, file.name, clean(mapping))}
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
          <Group justify="flex-end">
            {!canImport && (
              <Text size="sm" c="dimmed">
                {mappingChanged
                  ? 'Colonne o anno scolastico cambiati: ricontrollare il file prima di importare'
                  : preview.unmappedRequired.length
                    ? 'Scegliere una colonna per ogni campo obbligatorio'
                    : preview.errorRows
                      ? 'Correggere nel file le righe con errori e ricaricarlo: si importa solo un file senza errori'
                      : ''}
              </Text>
            )}
            <Button leftSection={<IconUpload size={16} />} disabled={!canImport} loading={committing} onClick={() => void commit()} data-testid="import-commit">
              Importa {fmt.format(preview.totalRows)} {preview.totalRows === 1 ? 'riga' : 'righe'}
            </Button>
          </Group>
        </>
      )}
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
        Una riga per alunno, con il suo pagante e l'iscrizione; la prima riga contiene le intestazioni delle colonne. Il programma propone da solo quale colonna
        corrisponde a quale dato: la proposta si può correggere dopo la lettura del file. Nulla viene salvato finché non si preme «Importa».
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
        <Group gap="sm">
          <ThemeIcon size={38} radius="xl" variant="light" color={ok ? 'green' : 'red'}>
            {ok ? <IconCheck /> : <IconAlertTriangle />}
          </ThemeIcon>
          <div>
            <Text fw={600}>{preview.fileName}</Text>
            <Text size="sm" c={ok ? 'green.8' : 'red.8'} data-testid="import-verdict">
              {ok
                ? `${fmt.format(preview.totalRows)} righe senza errori: pronte da importare`
                : `${fmt.format(preview.errorRows)} ${preview.errorRows === 1 ? 'riga con errori' : 'righe con errori'} su ${fmt.format(preview.totalRows)}: nulla verrà importato finché non sono corrette`}
            </Text>
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
        <Text size="sm" c="orange.8" mt="xs">
          {fmt.format(preview.warningRows)} righe con avvisi (importabili): vedere la colonna «Avvisi».
        </Text>
      )}
    </Paper>
  );
}

function MappingCard({
  targets,
  columns,
  mapping,
  onChange,
  changed,
}: {
  targets: Target[];
  columns: string[];
  mapping: Mapping;
  onChange: (m: Mapping) => void;
  changed: boolean;
}) {
  const options = [{ value: '', label: '— nessuna colonna —' }, ...columns.map((c) => ({ value: c, label: c }))];
  const groups = [...new Set(targets.map((t) => t.groupLabel))];
  const m = mapping as Record<string, string | undefined>;
  return (
    <Card withBorder radius="sm" p="md" h="100%">
      <Title order={4}>Colonne del file</Title>
      <Text size="xs" c="dimmed" mb="xs">
        Per ogni dato, la colonna del file che lo contiene (proposta dal programma in base alle intestazioni).
      </Text>
      {changed && (
        <Alert color="blue" variant="light" p="xs" mb="xs">
          <Text size="xs">Mappatura modificata: premere «Ricontrolla con le nuove scelte».</Text>
        </Alert>
      )}
      <ScrollArea.Autosize mah={520} offsetScrollbars>
        <Stack gap={6} data-testid="import-mapping">
          {groups.map((g) => (
            <Stack gap={4} key={g}>
              <Text size="xs" fw={700} tt="uppercase" c="dimmed" mt={4}>
                {g}
              </Text>
              {targets
                .filter((t) => t.groupLabel === g)
                .map((t) => (
                  <Group key={t.field} gap="xs" wrap="nowrap">
                    <Tooltip label={t.hint} disabled={!t.hint} multiline w={260}>
                      <Text size="sm" w={170} style={{ flexShrink: 0 }}>
                        {t.label}
                        {t.required && <Text span c="red"> *</Text>}
                      </Text>
                    </Tooltip>
                    <Select
                      size="xs"
                      aria-label={`Colonna per ${t.label}`}
                      data={options}
                      value={m[t.field] ?? ''}
                      onChange={(v) => onChange({ ...mapping, [t.field]: v ?? '' })}
                      allowDeselect={false}
                      error={t.required && !m[t.field]}
                      style={{ flex: 1 }}
                    />
                  </Group>
                ))}
            </Stack>
          ))}
        </Stack>
      </ScrollArea.Autosize>
    </Card>
  );
}

/** "Codice fiscale dell'alunno: …" unless the message already names its field. */
function withField(label: string, message: string): string {
  return message.toLowerCase().includes(label.toLowerCase()) ? message : `${label}: ${message}`;
}

function PreviewTable({ preview, onlyErrors, label }: { preview: ImportPreviewResult; onlyErrors: boolean; label: (f: string) => string }) {
  const [selected, setSelected] = useState<number | null>(null);
  const fields = useMemo(() => Object.keys(preview.mapping).filter((f) => (preview.mapping as Record<string, string>)[f]), [preview]);
  const rows = useMemo(() => (onlyErrors ? preview.rows.filter((r) => r.errors.length) : preview.rows), [preview, onlyErrors]);
  const chosen = rows.find((r) => r.row === selected) ?? rows.find((r) => r.errors.length) ?? null;
  const columns: Column<PreviewRow>[] = [
    {
      key: 'row',
      header: 'Riga',
      width: 60,
      render: (r) => (
        <Badge size="sm" variant="light" color={r.errors.length ? 'red' : r.warnings.length ? 'orange' : 'green'}>
          {r.row}
        </Badge>
      ),
    },
    {
      key: 'errors',
      header: 'Errori',
      width: 340,
      wrap: true,
      render: (r) =>
        r.errors.length ? (
          <Text size="xs" c="red.8" lineClamp={2}>
            {r.errors.map((e) => withField(label(e.field), e.message)).join(' · ')}
          </Text>
        ) : r.warnings.length ? (
          <Text size="xs" c="orange.8" lineClamp={2}>
            {r.warnings.join(' · ')}
          </Text>
        ) : (
          <Text size="xs" c="green.8">
            Corretta
          </Text>
        ),
    },
    ...fields.map<Column<PreviewRow>>((f) => ({
      key: f,
      header: label(f),
      width: 150,
      render: (r) => {
        const bad = r.errors.some((e) => e.field === f);
        return (
          <Text size="xs" c={bad ? 'red.8' : undefined} fw={bad ? 700 : undefined} td={bad ? 'underline wavy' : undefined} truncate>
            {r.values[f] || (bad ? '(vuoto)' : '')}
          </Text>
        );
      },
    })),
  ];
  return (
    <Stack gap="xs">
      <div style={{ height: 380, display: 'flex', flexDirection: 'column' }} data-testid="import-preview">
        <VirtualTable
          columns={columns}
          source={arraySource(rows)}
          rowKey={(r) => r.row}
          rowHeight={46}
          onRowClick={(r) => setSelected(r.row)}
          selectedKey={chosen?.row ?? null}
          empty={onlyErrors ? 'Nessuna riga con errori' : 'Il file non ha righe'}
        />
      </div>
      {chosen && (chosen.errors.length > 0 || chosen.warnings.length > 0) && (
        <Alert color={chosen.errors.length ? 'red' : 'orange'} variant="light" p="xs" title={`Riga ${chosen.row} del file`} data-testid="import-row-detail">
          <List size="sm">
            {chosen.errors.map((e, i) => (
              <List.Item key={`e${i}`}>{withField(label(e.field), e.message)}</List.Item>
            ))}
            {chosen.warnings.map((w, i) => (
              <List.Item key={`w${i}`}>Avviso: {w}</List.Item>
            ))}
          </List>
        </Alert>
      )}
    </Stack>
  );
}

function CommitSummary({ result }: { result: CommitResult }) {
  return (
    <Alert color="green" icon={<IconCheck />} title={`Importazione di ${result.fileName} completata`} data-testid="import-result">
      <SimpleGrid cols={3} spacing="lg" verticalSpacing={2}>
        <Count label="Righe importate" value={result.totalRows} />
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
    </Alert>
  );
}
