import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Badge, Button, Group, Loader, ScrollArea, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { TableHead, EmptyRow } from '../components/table-parts';
import { IconAlertTriangle, IconCalendarOff } from '@tabler/icons-react';
import { ApiError, call, errorMessage, type ProcInput, type ProcOutput } from '../api/client';
import { notifySuccess } from '../api/hooks';
import { DateField } from '../components/fields';
import { pathKey, type FieldErrors } from '../components/form';
import { formatDate } from '../format/dates';
import { KIND_OPTIONS, type ClosureKind, type ClosureScope } from './labels';
import { countFormat, plural } from '../format/words';
import { FormModal } from '../components/form-dialog';

type Preview = ProcOutput<'calendar.closurePreview'>;
type ClosureInput = ProcInput<'calendar.closurePreview'>;

export interface ClosureDraft {
  from: string | null;
  to: string | null;
  scope: ClosureScope;
  classId: number | null;
}

interface Props {
  school: { id: number; name: string; municipalityId: number; municipalityName: string };
  classes: { id: number; name: string }[];
  draft: ClosureDraft;
  onClose(): void;
  onSaved(): void;
}

const fmt = countFormat;

/**
 * A7: closing a whole municipality, a school or a class for a day or a range (strike, trip,
 * polling station…) is one action, and it shows the bookings it removes before it is confirmed:
 * the preview is asked again whenever the form changes, and "Conferma" saves exactly what was
 * previewed.
 */
export function ClosureForm({ school, classes, draft, onClose, onSaved }: Props) {
  const [scope, setScope] = useState<ClosureScope>(draft.scope);
  const [classId, setClassId] = useState<string | null>(draft.classId ? String(draft.classId) : null);
  const [kind, setKind] = useState<ClosureKind>(draft.scope === 'classe' ? 'gita' : 'chiusura');
  const [kindChosen, setKindChosen] = useState(false);
  const [from, setFrom] = useState<string | null>(draft.from);
  const [to, setTo] = useState<string | null>(draft.to);
  const [reason, setReason] = useState('');
  const [preview, setPreview] = useState<{ key: string; value: Preview } | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  // something typed that closing would lose
  const dirty = reason.trim() !== '' || from !== draft.from || to !== draft.to || kindChosen;
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [saving, setSaving] = useState(false);
  const seq = useRef(0);

  const input = useMemo((): ClosureInput | null => {
    if (!from || !to) return null;
    if (scope === 'classe' && !classId) return null;
    return {
      scope,
      municipalityId: school.municipalityId,
      schoolId: scope === 'comune' ? null : school.id,
      classId: scope === 'classe' ? Number(classId) : null,
      from,
      to,
      kind,
      reason: reason.trim(),
    };
  }, [scope, classId, kind, from, to, reason, school]);
  const key = input ? JSON.stringify(input) : null;

  useEffect(() => {
    if (!key) {
      setPreview(null);
      return;
    }
    const mine = ++seq.current;
    setLoading(true);
    const t = setTimeout(() => {
      call('calendar.closurePreview', JSON.parse(key) as ClosureInput)
        .then((value) => {
          if (mine !== seq.current) return;
          setPreview({ key, value });
          setErrors({});
          setPreviewError(null);
        })
        .catch((err) => {
          if (mine !== seq.current) return;
          setPreview(null);
          setErrors(issuesOf(err));
          setPreviewError(errorMessage(err));
        })
        .finally(() => mine === seq.current && setLoading(false));
    }, 250);
    return () => clearTimeout(t);
  }, [key]);

  const ready = !!preview && preview.key === key && !loading;

  async function confirm() {
    if (!input || !ready) return;
    setSaving(true);
    try {
      const out = await call('calendar.closures.create', input);
      notifySuccess(
        `${out.closure.kindLabel} dal ${formatDate(out.closure.from)} al ${formatDate(out.closure.to)}: ${fmt.format(out.removedBookings)} prenotazioni tolte`,
        'Chiusura registrata',
      );
      onSaved();
      onClose();
    } catch (err) {
      setErrors(issuesOf(err));
      setPreviewError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  }

  const p = ready ? preview.value : null;
  const serviceDays = p ? p.days.filter((d) => d.service) : [];

  return (
    <FormModal dirty={dirty} onClose={onClose} title="Nuova chiusura del servizio" size="xl" data-testid="closure-form">
      <Stack gap="sm">
        <Group grow align="flex-start">
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              Riguarda
            </Text>
            <SegmentedControl
              aria-label="Ambito della chiusura"
              value={scope}
              onChange={(v) => {
                setScope(v as ClosureScope);
                // a class that does not eat is usually on a trip (A7)
                if (!kindChosen) setKind(v === 'classe' ? 'gita' : 'chiusura');
              }}
              data={[
                { value: 'comune', label: `Comune di ${school.municipalityName}` },
                { value: 'scuola', label: 'Tutta la scuola' },
                { value: 'classe', label: 'Una classe' },
              ]}
            />
          </Stack>
          <Select
            label="Classe"
            placeholder={scope === 'classe' ? 'Scegliere la classe' : 'Solo per una classe'}
            disabled={scope !== 'classe'}
            data={classes.map((c) => ({ value: String(c.id), label: c.name }))}
            value={scope === 'classe' ? classId : null}
            onChange={setClassId}
            error={errors.classId}
          />
        </Group>
        <SimpleGrid cols={3}>
          <Select label="Tipo" data={KIND_OPTIONS} value={kind} onChange={(v) => {
              if (!v) return;
              setKind(v as ClosureKind);
              setKindChosen(true);
            }} error={errors.kind} />
          <DateField label="Dal" value={from} onChange={setFrom} error={errors.from} clearable={false} />
          <DateField label="Al" value={to} onChange={setTo} error={errors.to} clearable={false} />
        </SimpleGrid>
        <TextInput label="Motivo" placeholder="Es. sciopero del personale, gita a Bergamo, seggio elettorale" value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={errors.reason} maxLength={200} />
        <Text size="xs" c="dimmed">
          {scope === 'classe' ? 'Scuola: ' + school.name + '. ' : ''}
          La chiusura non richiede disdette alle famiglie: le prenotazioni dei giorni indicati vengono tolte.
        </Text>

        {loading && (
          <Group gap="xs">
            <Loader size="xs" />
            <Text size="sm" c="dimmed">
              Calcolo delle prenotazioni da togliere…
            </Text>
          </Group>
        )}
        {previewError && !loading && (
          <Alert color="red" icon={<IconAlertTriangle size={18} />} data-testid="closure-preview-error">
            {previewError}
          </Alert>
        )}
        {p && (
          <Stack gap="xs" data-testid="closure-preview">
            <Alert color={p.totalBookings ? 'orange' : 'blue'} icon={<IconCalendarOff size={18} />} title={`${p.target.label}, dal ${formatDate(p.target.from)} al ${formatDate(p.target.to)}`}>
              La chiusura toglie{' '}
              <b data-testid="closure-preview-total">{fmt.format(p.totalBookings)}</b> {p.totalBookings === 1 ? 'prenotazione' : 'prenotazioni'} in {serviceDays.length}{' '}
              {serviceDays.length === 1 ? 'giorno di servizio' : 'giorni di servizio'} (anno scolastico {p.target.schoolYearLabel}).
            </Alert>
            {p.conflicts.length > 0 && (
              <Alert color="red" title="Giornate già chiuse con pasti registrati" data-testid="closure-preview-conflicts">
                {p.conflicts.map((c) => `${formatDate(c.date)} (${plural(c.meals, 'pasto', 'pasti')})`).join(', ')}: i pasti registrati restano; per toglierli occorre una rettifica delle presenze.
              </Alert>
            )}
            <Group align="flex-start" grow>
              <ScrollArea.Autosize mah={220} type="auto">
                <Table fz="xs" verticalSpacing={3} withTableBorder>
                  <TableHead cells={['Giorno', { label: 'Prenotazioni tolte', right: true }]} />
                  <Table.Tbody>
                    {p.days.map((d) => (
                      <Table.Tr key={d.date}>
                        <Table.Td>{formatDate(d.date)}</Table.Td>
                        <Table.Td ta="right">
                          {d.service ? fmt.format(d.bookings) : <Text span size="xs" c="dimmed">senza servizio</Text>}
                          {d.dayClosed && (
                            <Badge ml={6} size="xs" color="gray">
                              giornata chiusa
                            </Badge>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollArea.Autosize>
              <ScrollArea.Autosize mah={220} type="auto">
                <Table fz="xs" verticalSpacing={3} withTableBorder data-testid="closure-preview-bookings">
                  <TableHead cells={['Giorno', 'Alunno', 'Classe']} />
                  <Table.Tbody>
                    {p.bookings.map((b) => (
                      <Table.Tr key={`${b.date}-${b.pupilId}`}>
                        <Table.Td>{formatDate(b.date)}</Table.Td>
                        <Table.Td>
                          {b.pupilName}
                          {b.plain ? ' (in bianco)' : ''}
                        </Table.Td>
                        <Table.Td>{b.className ?? ''}</Table.Td>
                      </Table.Tr>
                    ))}
                    {p.bookings.length === 0 && <EmptyRow colSpan={3} size="xs">Nessuna prenotazione da togliere</EmptyRow>}
                  </Table.Tbody>
                </Table>
                {p.truncated && (
                  <Text size="xs" c="dimmed">
                    Elenco troncato: il totale sopra comprende tutte le prenotazioni.
                  </Text>
                )}
              </ScrollArea.Autosize>
            </Group>
          </Stack>
        )}
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onClose}>
            Annulla
          </Button>
          <Button color="red" disabled={!ready} loading={saving} onClick={() => void confirm()}>
            Conferma chiusura
          </Button>
        </Group>
      </Stack>
    </FormModal>
  );
}

/** A backend error's field messages by field key (the first message per field). */
export function issuesOf(err: unknown): FieldErrors {
  const out: FieldErrors = {};
  if (err instanceof ApiError) for (const i of err.issues) out[pathKey(i.path)] ??= i.message;
  return out;
}
