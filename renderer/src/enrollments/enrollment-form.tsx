import { useEffect, useState } from 'react';
import { Alert, Button, Checkbox, Grid, Group, Input, Modal, NumberInput, Radio, Select, Stack, Text, Textarea } from '@mantine/core';
import { conflictOf, FormModal } from '../components/form-dialog';
import { agree } from '../format/words';
import { PupilForm } from '../pupils/pupil-form';
import { IconAlertTriangle, IconUserPlus } from '@tabler/icons-react';
import { addDaysIso as addDays } from '../calendar/big-calendar';
import { call, type ProcOutput } from '../api/client';
import { notifyError, notifySuccess, useQuery } from '../api/hooks';
import { DateField } from '../components/fields';
import { errorFor, given, givenId, useForm } from '../components/form';
import { RemoteSelect, type RemoteOption } from '../components/remote-select';
import { payerOption, pupilOption, searchPayers, searchPupils } from '../components/people-search';
import { WEEKDAYS } from '../format/dates';
import { currentYear, romeToday, schoolOptions, useLookups, yearOptions } from '../master-data/lookups';
import { PayerForm } from '../payers/payer-form';

export type Enrollment = ProcOutput<'enrollments.get'>;

const ISSUE_ALIASES = { pupil: 'pupilId', payer: 'payerId', enrolledBy: 'enrolledById', secondParent: 'secondParentId' };

// the pickers' searches live in components/people-search (kept exported here for the screens that import them)
export { searchPayers, searchPupils };

/**
 * The weekdays the school does not serve, each with the service calendar's reason ("La scuola non
 * ha servizio mensa il mercoledì"), read over the first two weeks of the school year.
 */
function useUnservedWeekdays(schoolId: string | null, classId: string | null, yearStartsOn: string | null): Map<number, string> {
  const cal = useQuery('calendar.get', schoolId && yearStartsOn ? { schoolId: Number(schoolId), classId: classId ? Number(classId) : null, from: yearStartsOn, to: addDays(yearStartsOn, 13) } : null);
  const out = new Map<number, string>();
  for (const d of cal.data?.days ?? []) {
    const r = d.reasons.find((x) => x.kind === 'giorno_senza_mensa');
    if (r && d.weekday <= 5) out.set(d.weekday, r.label);
  }
  return out;
}

/** The form's values for an enrollment being edited (or a new one: `pupil` preset, the current year). */
function valuesOf(enrollment: Enrollment | null, pupil: RemoteOption | undefined, lookups: ReturnType<typeof useLookups>) {
  return {
    pupil: enrollment ? ({ value: String(enrollment.pupilId), label: `${enrollment.pupilName} · ${enrollment.pupilTaxCode}` } as RemoteOption | null) : (pupil ?? null),
    payer: enrollment ? ({ value: String(enrollment.payerId), label: enrollment.payerName } as RemoteOption | null) : null,
    schoolYearId: enrollment ? String(enrollment.schoolYearId) : ((currentYear(lookups.schoolYears, romeToday())?.id.toString() ?? null) as string | null),
    schoolId: enrollment ? String(enrollment.schoolId) : (null as string | null),
    classId: enrollment?.classId ? String(enrollment.classId) : (null as string | null),
    weekdays: (enrollment?.weekdays ?? [1, 2, 3, 4, 5]).map(String),
    paymentMethod: (enrollment?.paymentMethod ?? 'prepagato') as 'prepagato' | 'sdd',
    startsOn: (enrollment?.startsOn ?? null) as string | null,
    notes: enrollment?.notes ?? '',
    activate: true,
    // who pays (issue 6): who enrolled (empty: the payer), the second parent, whom the 730 names
    enrolledBy: enrollment?.enrolledById ? { value: String(enrollment.enrolledById), label: enrollment.enrolledByName ?? '' } : (null as RemoteOption | null),
    secondParent: enrollment?.secondParentId ? { value: String(enrollment.secondParentId), label: `${enrollment.secondParentName ?? ''} · ${enrollment.secondParentTaxCode ?? ''}` } : (null as RemoteOption | null),
    taxStatementNames: enrollment?.taxStatementNames ?? 'pagante',
    payerSharePct: enrollment?.payerSharePct ?? 50,
    secondParentSharePct: enrollment?.secondParentSharePct ?? 50,
  };
}

/**
 * New enrollment (pupil and payer found by searching, or created in place), or edit of an
 * existing one (the pupil stays). Days the school does not serve cannot be ticked, the reason
 * beside them. Warnings from the backend (e.g. outside the municipality's window, E1) show in
 * yellow. `pupil` starts a new enrollment for that pupil (the pupil form's "Iscrivi").
 */
export function EnrollmentForm({ enrollment, pupil, onClose, onSaved }: { enrollment: Enrollment | null; pupil?: RemoteOption; onClose: () => void; onSaved: (id: number) => void }) {
  const lookups = useLookups();
  const editing = enrollment !== null;
  // issue 14: the enrollment as loaded (its version goes back with the save); «Ricarica» replaces it
  const [current, setCurrent] = useState(enrollment);
  const form = useForm(valuesOf(enrollment, pupil, lookups));
  /** «Ricarica» after a conflict: the enrollment as saved now, replacing what was typed */
  const reload = () => {
    if (!current) return;
    call('enrollments.get', { id: current.id })
      .then((e) => {
        setCurrent(e);
        form.reset(valuesOf(e, pupil, lookups));
      })
      .catch((err) => notifyError(err));
  };
  const [busy, setBusy] = useState(false);
  const [newPayer, setNewPayer] = useState(false);
  const [newPupil, setNewPupil] = useState(false);
  const [warnings, setWarnings] = useState<string[]>([]);
  const v = form.values;

  const classes = useQuery('classes.list', v.schoolId && v.schoolYearId ? { schoolId: Number(v.schoolId), schoolYearId: Number(v.schoolYearId) } : null);
  const yearStart = lookups.schoolYears.find((y) => String(y.id) === v.schoolYearId)?.startsOn ?? null;
  const unserved = useUnservedWeekdays(v.schoolId, v.classId, yearStart);

  // a day the school does not serve is never ticked
  useEffect(() => {
    if (v.weekdays.some((d) => unserved.has(Number(d)))) form.set('weekdays', v.weekdays.filter((d) => !unserved.has(Number(d))));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [unserved.size, [...unserved.keys()].join()]);

  // a new enrollment starts from the pupil's school and class
  useEffect(() => {
    if (editing || !v.pupil) return;
    call('pupils.get', { id: Number(v.pupil.value) })
      .then((p) => {
        form.set('schoolId', String(p.schoolId));
        form.set('classId', p.classId ? String(p.classId) : null);
        const school = lookups.schools.find((s) => s.id === p.schoolId);
        if (school) form.set('weekdays', school.serviceWeekdays.map(String));
      })
      .catch(() => undefined);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [v.pupil?.value]);

  // a class of another year or school is not offered
  useEffect(() => {
    if (v.classId && classes.data && !classes.data.some((c) => String(c.id) === v.classId)) form.set('classId', null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [classes.data]);

  async function save() {
    const input = {
      pupilId: givenId(v.pupil?.value),
      payerId: givenId(v.payer?.value),
      schoolYearId: givenId(v.schoolYearId),
      schoolId: givenId(v.schoolId),
      classId: v.classId ? Number(v.classId) : null,
      weekdays: v.weekdays.map(Number).sort(),
      paymentMethod: v.paymentMethod,
      startsOn: given(v.startsOn) ?? null,
      notes: v.notes,
      enrolledById: v.enrolledBy ? Number(v.enrolledBy.value) : null,
      secondParentId: v.secondParent ? Number(v.secondParent.value) : null,
      taxStatementNames: v.taxStatementNames,
      payerSharePct: v.payerSharePct,
      secondParentSharePct: v.secondParentSharePct,
    };
    setBusy(true);
    setWarnings([]);
    try {
      if (enrollment) {
        const e = await call('enrollments.update', { id: enrollment.id, version: current?.version ?? enrollment.version, ...input });
        notifySuccess(`Iscrizione di ${e.pupilName} aggiornata`);
        onSaved(e.id);
        onClose();
      } else {
        const out = await call('enrollments.create', { ...input, activate: v.activate });
        notifySuccess(`${out.enrollment.pupilName} ${agree(v.pupil?.sex, 'iscritto')} per l'anno ${out.enrollment.schoolYearLabel}`, 'Iscrizione registrata');
        onSaved(out.enrollment.id);
        if (out.warnings.length) setWarnings(out.warnings);
        else onClose();
      }
    } catch (err) {
      form.showError(err, ISSUE_ALIASES);
    } finally {
      setBusy(false);
    }
  }

  if (warnings.length) {
    return (
      <Modal opened onClose={onClose} title="Iscrizione registrata" size="md">
        <Stack>
          <Alert color="yellow" icon={<IconAlertTriangle />} title="Attenzione" data-testid="enrollment-warnings">
            {warnings.map((w) => (
              <Text size="sm" key={w}>
                {w}
              </Text>
            ))}
          </Alert>
          <Group justify="flex-end">
            <Button onClick={onClose}>Ho capito</Button>
          </Group>
        </Stack>
      </Modal>
    );
  }

  return (
    <>
      <FormModal opened={!newPayer && !newPupil} dirty={form.dirty} onClose={onClose} title={editing ? `Iscrizione di ${enrollment.pupilName}` : 'Nuova iscrizione al servizio mensa'} size="xl" conflict={conflictOf(form.conflict, reload)}>
        <form noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <Stack gap="sm">
            <Grid gutter="sm">
              <Grid.Col span={editing ? 12 : 9}>
                <RemoteSelect
                  label="Alunno"
                  withAsterisk
                  placeholder="Cercare per cognome, nome, codice fiscale o codice utente"
                  disabled={editing}
                  value={v.pupil}
                  onChange={(o) => form.set('pupil', o)}
                  search={searchPupils}
                  error={form.errors.pupilId}
                  data-testid="enrollment-pupil"
                />
              </Grid.Col>
              {!editing && (
                <Grid.Col span={3}>
                  <Button variant="light" fullWidth mt={25} leftSection={<IconUserPlus size={16} />} onClick={() => setNewPupil(true)}>
                    Nuovo alunno
                  </Button>
                </Grid.Col>
              )}
              <Grid.Col span={9}>
                <RemoteSelect
                  label="Pagante"
                  withAsterisk
                  placeholder="Cercare per cognome, nome o codice fiscale"
                  value={v.payer}
                  onChange={(o) => form.set('payer', o)}
                  search={searchPayers}
                  error={form.errors.payerId}
                />
              </Grid.Col>
              <Grid.Col span={3}>
                <Button variant="light" fullWidth mt={25} leftSection={<IconUserPlus size={16} />} onClick={() => setNewPayer(true)}>
                  Nuovo pagante
                </Button>
              </Grid.Col>
              <Grid.Col span={4}>
                <Select label="Anno scolastico" withAsterisk data={yearOptions(lookups.schoolYears)} value={v.schoolYearId} onChange={(x) => form.set('schoolYearId', x)} error={form.errors.schoolYearId} />
              </Grid.Col>
              <Grid.Col span={5}>
                <Select
                  label="Scuola"
                  withAsterisk
                  searchable
                  data={schoolOptions(lookups.schools)}
                  value={v.schoolId}
                  onChange={(x) => {
                    form.set('schoolId', x);
                    const school = lookups.schools.find((s) => String(s.id) === x);
                    if (school) form.set('weekdays', v.weekdays.filter((d) => school.serviceWeekdays.includes(Number(d))));
                  }}
                  error={form.errors.schoolId}
                />
              </Grid.Col>
              <Grid.Col span={3}>
                <Select
                  label="Classe"
                  clearable
                  disabled={!v.schoolId || !v.schoolYearId}
                  placeholder={classes.data && classes.data.length === 0 ? 'Nessuna classe' : 'Scegliere'}
                  data={(classes.data ?? []).map((c) => ({ value: String(c.id), label: c.name }))}
                  value={v.classId}
                  onChange={(x) => form.set('classId', x)}
                  error={form.errors.classId}
                />
              </Grid.Col>
              <Grid.Col span={12}>
                <Input.Wrapper label="Giorni di fruizione" withAsterisk error={errorFor(form.errors, 'weekdays')}>
                  <Checkbox.Group value={v.weekdays} onChange={(x) => form.set('weekdays', x.filter((d) => !unserved.has(Number(d))))}>
                    <Group gap="xl" mt={6} align="flex-start">
                      {WEEKDAYS.map((d) => (
                        <Checkbox
                          key={d.value}
                          value={String(d.value)}
                          label={d.label}
                          disabled={unserved.has(d.value)}
                          description={unserved.get(d.value)}
                          maw={unserved.has(d.value) ? 170 : undefined}
                          data-testid={`weekday-${d.value}`}
                        />
                      ))}
                    </Group>
                  </Checkbox.Group>
                </Input.Wrapper>
              </Grid.Col>
              <Grid.Col span={6}>
                <Radio.Group label="Modalità di pagamento" withAsterisk value={v.paymentMethod} onChange={(x) => form.set('paymentMethod', x as 'prepagato' | 'sdd')} error={form.errors.paymentMethod}>
                  <Group gap="xl" mt={10}>
                    <Radio value="prepagato" label="Prepagato (ricarica PagoPA)" />
                    <Radio value="sdd" label="Addebito SDD" />
                  </Group>
                </Radio.Group>
              </Grid.Col>
              <Grid.Col span={6}>
                <DateField label="Inizio del servizio" placeholder="gg/mm/aaaa · vuoto: da inizio anno o da oggi" value={v.startsOn} onChange={(x) => form.set('startsOn', x)} error={form.errors.startsOn} />
              </Grid.Col>
              <Grid.Col span={6}>
                <RemoteSelect
                  label="Ha iscritto (se non è il pagante)"
                  placeholder="Vuoto: il pagante"
                  value={v.enrolledBy}
                  onChange={(o) => form.set('enrolledBy', o)}
                  search={searchPayers}
                  error={form.errors.enrolledById}
                />
              </Grid.Col>
              <Grid.Col span={6}>
                <RemoteSelect
                  label="Secondo genitore"
                  placeholder="Cercare tra i paganti registrati"
                  value={v.secondParent}
                  onChange={(o) => form.set('secondParent', o)}
                  search={searchPayers}
                  error={form.errors.secondParentId}
                />
              </Grid.Col>
              <Grid.Col span={6}>
                <Radio.Group
                  label="Dichiarazione 730 intestata a"
                  value={v.taxStatementNames}
                  onChange={(x) => form.set('taxStatementNames', x as 'pagante' | 'alunno')}
                  error={form.errors.taxStatementNames}
                >
                  <Group gap="xl" mt={10}>
                    <Radio value="pagante" label="Pagante" />
                    <Radio value="alunno" label="Alunno (spesa divisa tra i genitori)" />
                  </Group>
                </Radio.Group>
              </Grid.Col>
              {v.taxStatementNames === 'alunno' && (
                <>
                  <Grid.Col span={3}>
                    <NumberInput
                      label="Quota del pagante %"
                      min={0}
                      max={100}
                      allowDecimal={false}
                      value={v.payerSharePct}
                      onChange={(x) => {
                        const n = typeof x === 'number' ? x : Number(x) || 0;
                        form.set('payerSharePct', n);
                        if (n >= 0 && n <= 100) form.set('secondParentSharePct', 100 - n);
                      }}
                      error={form.errors.payerSharePct}
                    />
                  </Grid.Col>
                  <Grid.Col span={3}>
                    <NumberInput
                      label="Quota del secondo genitore %"
                      min={0}
                      max={100}
                      allowDecimal={false}
                      value={v.secondParentSharePct}
                      onChange={(x) => form.set('secondParentSharePct', typeof x === 'number' ? x : Number(x) || 0)}
                      error={form.errors.secondParentSharePct}
                    />
                  </Grid.Col>
                </>
              )}
              <Grid.Col span={12}>
                <Textarea label="Note" autosize minRows={1} value={v.notes} onChange={(e) => form.set('notes', e.currentTarget.value)} error={form.errors.notes} />
              </Grid.Col>
            </Grid>
            {!editing && (
              <Checkbox
                label="Attiva subito (servono e-mail, cellulare e codice fiscale validi; per l'SDD anche IBAN e intestatario)"
                checked={v.activate}
                onChange={(e) => form.set('activate', e.currentTarget.checked)}
              />
            )}
            <Group justify="flex-end" mt="xs">
              <Button variant="default" onClick={onClose}>
                Annulla
              </Button>
              <Button type="submit" loading={busy}>
                {editing ? 'Salva modifiche' : 'Registra iscrizione'}
              </Button>
            </Group>
          </Stack>
        </form>
      </FormModal>
      {newPupil && (
        <PupilForm
          pupilId={null}
          onClose={() => setNewPupil(false)}
          onSaved={() => undefined}
          onCreated={(p) => form.set('pupil', pupilOption(p))}
        />
      )}
      {newPayer && (
        <PayerForm
          payerId={null}
          onClose={() => setNewPayer(false)}
          onSaved={(p) => form.set('payer', payerOption(p))}
        />
      )}
    </>
  );
}

