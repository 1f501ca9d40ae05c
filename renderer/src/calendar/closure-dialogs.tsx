import { useState } from 'react';
import { Alert, Badge, Button, FileInput, Group, ScrollArea, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { TableHead, EmptyRow } from '../components/table-parts';
import { IconAlertTriangle, IconFileSpreadsheet } from '@tabler/icons-react';
import { call, errorMessage, type ProcOutput } from '../api/client';
import { notifyError, notifySuccess } from '../api/hooks';
import { formatDate, formatMoment } from '../format/dates';
import { municipalityOptions, useLookups, yearOptions } from '../master-data/lookups';
import { KIND_OPTIONS, ORIGIN_LABELS, closureTitle, scopeText, type Closure } from './labels';
import { readBase64 } from '../components/file-base64';
import { countFormat, plural } from '../format/words';
import { FormModal } from '../components/form-dialog';

const fmt = countFormat;
const kindLabel = (k: string) => KIND_OPTIONS.find((o) => o.value === k)?.label ?? k;

/** A closure's details; "Annulla chiusura" (with a reason) for one entered by mistake: it stays in the history. */
export function ClosureDetail({ closure, onClose, onChanged }: { closure: Closure; onClose(): void; onChanged(): void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [asking, setAsking] = useState(false);

  async function cancel() {
    setBusy(true);
    try {
      const out = await call('calendar.closures.cancel', { id: closure.id, reason: reason.trim() });
      notifySuccess(`${closureTitle(closure)}: il servizio torna regolare dal ${formatDate(closure.from)} al ${formatDate(closure.to)}`, 'Chiusura annullata');
      for (const w of out.warnings) notifySuccess(w, 'Attenzione');
      onChanged();
      onClose();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <FormModal dirty={reason.trim() !== ''} onClose={onClose} title={closureTitle(closure)} size="md" data-testid="closure-detail">
      <Stack gap="xs">
        <Table fz="sm" verticalSpacing={4}>
          <Table.Tbody>
            <Row label="Tipo" value={closure.kindLabel} />
            <Row label="Riguarda" value={scopeText(closure)} />
            <Row label="Periodo" value={closure.from === closure.to ? formatDate(closure.from) : `dal ${formatDate(closure.from)} al ${formatDate(closure.to)} (${plural(closure.days, 'giorno', 'giorni')})`} />
            <Row label="Motivo" value={closure.reason || '—'} />
            <Row label="Anno scolastico" value={closure.schoolYearLabel} />
            <Row label="Origine" value={`${ORIGIN_LABELS[closure.origin]}, ${formatMoment(closure.createdAt)}${closure.createdByName ? ` (${closure.createdByName})` : ''}`} />
            {closure.cancelledAt && <Row label="Annullata" value={`${formatMoment(closure.cancelledAt)} (${closure.cancelledByName ?? ''}): ${closure.cancelReason ?? ''}`} />}
          </Table.Tbody>
        </Table>
        {!closure.cancelledAt && !asking && (
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Chiudi
            </Button>
            <Button color="red" variant="light" onClick={() => setAsking(true)}>
              Annulla chiusura
            </Button>
          </Group>
        )}
        {asking && (
          <>
            <TextInput
              label="Motivo dell'annullamento"
              placeholder="Es. sciopero revocato"
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              error={error ?? undefined}
              data-autofocus
            />
            <Text size="xs" c="dimmed">
              Le prenotazioni dei giorni tornano attive; le giornate già chiuse non cambiano.
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setAsking(false)}>
                Indietro
              </Button>
              <Button color="red" loading={busy} onClick={() => void cancel()}>
                Conferma annullamento
              </Button>
            </Group>
          </>
        )}
      </Stack>
    </FormModal>
  );
}

function Row({ label, value }: { label: string; value: string }) {
  return (
    <Table.Tr>
      <Table.Td w={130} c="dimmed">
        {label}
      </Table.Td>
      <Table.Td>{value}</Table.Td>
    </Table.Tr>
  );
}

type ImportPreview = ProcOutput<'calendar.closures.importPreview'>;

/**
 * Closures from the spreadsheet the school or the municipality sent (columns: data/dal, al,
 * scuola, classe, motivo, tipo): every row is checked and shown with the bookings it removes;
 * nothing is saved until "Importa", and then all rows or none.
 */
export function ClosureImport({ municipalityId, onClose, onSaved }: { municipalityId: number; onClose(): void; onSaved(): void }) {
  const lookups = useLookups();
  const [mId, setMId] = useState<string | null>(String(municipalityId));
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function read(f: File | null, m = mId) {
    setFile(f);
    setPreview(null);
    setError(null);
    if (!f || !m) return;
    setBusy(true);
    try {
      const contentBase64 = await readBase64(f);
      setPreview(await call('calendar.closures.importPreview', { municipalityId: Number(m), fileName: f.name, contentBase64 }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  async function commit() {
    if (!preview || !mId) return;
    setBusy(true);
    try {
      const rows = preview.rows
        .filter((r) => r.errors.length === 0)
        .map((r) => ({ line: r.line, from: r.from!, to: r.to!, schoolId: r.schoolId, classId: r.classId, kind: r.kind, reason: r.reason }));
      const out = await call('calendar.closures.importCommit', { municipalityId: Number(mId), fileName: file?.name ?? '', rows });
      notifySuccess(`${plural(out.created, 'chiusura importata', 'chiusure importate')} da ${file?.name ?? 'file'}`, 'Importazione completata');
      onSaved();
      onClose();
    } catch (err) {
      setError(errorMessage(err));
      notifyError(err, 'Importazione non riuscita');
    } finally {
      setBusy(false);
    }
  }

  return (
    <FormModal dirty={file !== null || mId !== String(municipalityId)} onClose={onClose} title="Importa chiusure da un foglio Excel o CSV" size="xl" data-testid="closure-import">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          Colonne riconosciute dall'intestazione: <b>data</b> (o dal), <b>al</b>, <b>scuola</b>, <b>classe</b>, <b>motivo</b>, <b>tipo</b>. Date come 12/10/2026. Senza scuola la chiusura
          riguarda tutto il comune.
        </Text>
        <SimpleGrid cols={2}>
          <Select
            label="Comune"
            data={municipalityOptions(lookups.municipalities)}
            value={mId}
            onChange={(v) => {
              setMId(v);
              void read(file, v);
            }}
          />
          <FileInput label="File" placeholder="Scegliere il file (.xlsx o .csv)" accept=".xlsx,.csv" value={file} onChange={(f) => void read(f)} leftSection={<IconFileSpreadsheet size={16} />} clearable />
        </SimpleGrid>
        {error && (
          <Alert color="red" icon={<IconAlertTriangle size={18} />} data-testid="closure-import-error">
            {error}
          </Alert>
        )}
        {preview && (
          <>
            <Group gap="md" data-testid="closure-import-summary">
              <Badge color="green" variant="light" size="lg">
                {plural(preview.valid, 'riga valida', 'righe valide')}
              </Badge>
              <Badge color={preview.invalid ? 'red' : 'gray'} variant="light" size="lg">
                {preview.invalid} con errori
              </Badge>
              <Text size="sm">
                Prenotazioni tolte: <b>{fmt.format(preview.totalBookings)}</b>
              </Text>
            </Group>
            <ScrollArea.Autosize mah={320} type="auto">
              <Table fz="xs" verticalSpacing={4} withTableBorder data-testid="closure-import-rows">
                <TableHead cells={['Riga', 'Dal', 'Al', 'Scuola', 'Classe', 'Tipo', 'Motivo', { label: 'Prenotazioni', right: true }, 'Esito']} />
                <Table.Tbody>
                  {preview.rows.map((r) => (
                    <Table.Tr key={r.line} bg={r.errors.length ? 'red.0' : undefined}>
                      <Table.Td>{r.line}</Table.Td>
                      <Table.Td>{formatDate(r.from)}</Table.Td>
                      <Table.Td>{formatDate(r.to)}</Table.Td>
                      <Table.Td>{r.schoolName || 'Tutto il comune'}</Table.Td>
                      <Table.Td>{r.className}</Table.Td>
                      <Table.Td>{kindLabel(r.kind)}</Table.Td>
                      <Table.Td>{r.reason}</Table.Td>
                      <Table.Td ta="right">{r.bookings}</Table.Td>
                      <Table.Td>{r.errors.length ? <Text c="red" size="xs">{r.errors.join('; ')}</Text> : <Text c="green" size="xs">Valida</Text>}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
            {preview.invalid > 0 && (
              <Alert color="orange" icon={<IconAlertTriangle size={18} />}>
                Correggere nel file le righe con errori e sceglierlo di nuovo: l'importazione salva tutte le righe o nessuna.
              </Alert>
            )}
          </>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Annulla
          </Button>
          <Button loading={busy} disabled={!preview || preview.invalid > 0 || preview.valid === 0} onClick={() => void commit()}>
            {preview ? `Importa ${plural(preview.valid, 'chiusura', 'chiusure')}` : 'Importa'}
          </Button>
        </Group>
      </Stack>
    </FormModal>
  );
}

type CopyResult = ProcOutput<'calendar.closures.copyFromYear'>;

/**
 * Copies the recurring closures (holidays, local feasts, closures; not strikes, trips or polling
 * days) from the previous school year: first what would be copied, then the copy.
 */
export function ClosureCopy({ toYearId, municipalityId, onClose, onSaved }: { toYearId: number; municipalityId: number; onClose(): void; onSaved(): void }) {
  const lookups = useLookups();
  const years = lookups.schoolYears;
  const idx = years.findIndex((y) => y.id === toYearId);
  const previousYear = idx > 0 ? String(years[idx - 1].id) : null;
  const [fromYear, setFromYear] = useState<string | null>(previousYear);
  const [toYear, setToYear] = useState<string | null>(String(toYearId));
  const [mId, setMId] = useState<string | null>(String(municipalityId));
  const [alignment, setAlignment] = useState<'data' | 'giorno_settimana'>('data');
  const [result, setResult] = useState<{ dry: boolean; value: CopyResult } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(dryRun: boolean) {
    if (!fromYear || !toYear) {
      setError("Scegliere l'anno da cui copiare e quello in cui copiare");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const value = await call('calendar.closures.copyFromYear', {
        fromSchoolYearId: Number(fromYear),
        toSchoolYearId: Number(toYear),
        municipalityId: mId ? Number(mId) : undefined,
        alignment,
        dryRun,
      });
      setResult({ dry: dryRun, value });
      if (!dryRun) {
        notifySuccess(plural(value.created.length, 'chiusura copiata', 'chiusure copiate'), 'Copia completata');
        onSaved();
      }
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const change = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    setResult(null);
  };

  return (
    <FormModal dirty={fromYear !== previousYear || toYear !== String(toYearId) || mId !== String(municipalityId) || alignment !== 'data'} onClose={onClose} title="Copia le chiusure dall'anno scolastico precedente" size="xl" data-testid="closure-copy">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          Si copiano vacanze, festività locali e chiusure; scioperi, gite e seggi elettorali sono eventi di un solo anno e non si copiano.
        </Text>
        <SimpleGrid cols={3}>
          <Select label="Dall'anno" data={yearOptions(years)} value={fromYear} onChange={change(setFromYear)} />
          <Select label="All'anno" data={yearOptions(years)} value={toYear} onChange={change(setToYear)} />
          <Select
            label="Comune"
            placeholder="Tutti i comuni"
            clearable
            data={municipalityOptions(lookups.municipalities)}
            value={mId}
            onChange={change(setMId)}
          />
        </SimpleGrid>
        <SegmentedControl
          aria-label="Come spostare le date"
          value={alignment}
          onChange={(v) => change(setAlignment)(v as 'data' | 'giorno_settimana')}
          data={[
            { value: 'data', label: 'Stessa data (es. 8 dicembre)' },
            { value: 'giorno_settimana', label: 'Stesso giorno della settimana' },
          ]}
        />
        {error && (
          <Alert color="red" icon={<IconAlertTriangle size={18} />}>
            {error}
          </Alert>
        )}
        {result && (
          <Stack gap="xs" data-testid="closure-copy-result">
            <Text size="sm" fw={600}>
              {result.dry ? `Da copiare: ${result.value.created.length}` : `Copiate: ${result.value.created.length}`} · saltate: {result.value.skipped.length}
            </Text>
            <ScrollArea.Autosize mah={300} type="auto">
              <Table fz="xs" verticalSpacing={4} withTableBorder>
                <TableHead cells={['Dal', 'Al', 'Chiusura', 'Esito']} />
                <Table.Tbody>
                  {result.value.created.map((c) => (
                    <Table.Tr key={`c${c.sourceId}`}>
                      <Table.Td>{formatDate(c.from)}</Table.Td>
                      <Table.Td>{formatDate(c.to)}</Table.Td>
                      <Table.Td>
                        {c.label}
                        {c.reason ? `: ${c.reason}` : ''}
                      </Table.Td>
                      <Table.Td>
                        <Text size="xs" c="green">
                          {result.dry ? 'Da copiare' : 'Copiata'}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                  {result.value.skipped.map((s) => (
                    <Table.Tr key={`s${s.sourceId}`}>
                      <Table.Td>{formatDate(s.from)}</Table.Td>
                      <Table.Td>{formatDate(s.to)}</Table.Td>
                      <Table.Td>{s.label}</Table.Td>
                      <Table.Td>
                        <Text size="xs" c="dimmed">
                          Saltata: {s.reason}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                  {result.value.created.length + result.value.skipped.length === 0 && <EmptyRow colSpan={4} size="xs">Nell'anno di partenza non ci sono chiusure da copiare</EmptyRow>}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
          </Stack>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {result && !result.dry ? 'Chiudi' : 'Annulla'}
          </Button>
          {(!result || !result.dry) && (
            <Button variant="light" loading={busy} onClick={() => void run(true)} disabled={!!result && !result.dry}>
              Anteprima
            </Button>
          )}
          {result?.dry && (
            <Button loading={busy} disabled={result.value.created.length === 0} onClick={() => void run(false)}>
              Copia {plural(result.value.created.length, 'chiusura', 'chiusure')}
            </Button>
          )}
        </Group>
      </Stack>
    </FormModal>
  );
}
