import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Group, Select, SimpleGrid, Table, Text, TextInput, Textarea } from '@mantine/core';
import { TableHead } from '../components/table-parts';
import { IconId, IconSchool, IconWallet } from '@tabler/icons-react';
import { rememberPupil } from '../attendance/selected-pupil';
import { navigate } from '../app/router';
import { call, type ProcOutput } from '../api/client';
import { notifyError, notifySuccess, useQuery } from '../api/hooks';
import { CodeField, DateField } from '../components/fields';
import { given, givenId, useForm } from '../components/form';
import { schoolOptions, useLookups } from '../master-data/lookups';
import { STATUS_COLOR, STATUS_LABEL, PAYMENT_LABEL } from '../enrollments/labels';
import { ModalForm, ModalLoading } from '../components/modal-form';
import { conflictOf, FormModal } from '../components/form-dialog';
import { pupilOption, pupilSex } from '../components/people-search';
import { agree } from '../format/words';
import { taxCodeFacts } from '../../../electron/contract/vocabulary/tax-code';
import { romeToday } from '../master-data/lookups';
import { EnrollmentForm } from '../enrollments/enrollment-form';

type Pupil = ProcOutput<'pupils.get'>;

const EMPTY = { firstName: '', lastName: '', birthDate: null as string | null, taxCode: '', schoolId: null as string | null, classId: null as string | null, notes: '' };

/** The birth date a codice fiscale encodes (the century: the latest not after this year), or null. */
export function birthDateFromTaxCode(taxCode: string): string | null {
  return taxCodeFacts(taxCode, Number(romeToday().slice(0, 4)))?.birthDate ?? null;
}

/**
 * Create or edit a pupil; after the first save it shows the generated user code and phone code
 * (E5) and offers "Iscrivi". The birth date is filled from the codice fiscale. `onCreated` (the
 * enrollment form creating the pupil in place) receives the new pupil and closes the form.
 */
export function PupilForm({ pupilId, onClose, onSaved, onCreated }: { pupilId: number | null; onClose: () => void; onSaved: () => void; onCreated?: (p: Pupil) => void }) {
  const lookups = useLookups();
  const form = useForm(EMPTY);
  const [pupil, setPupil] = useState<Pupil | null>(null);
  const [justCreated, setJustCreated] = useState(false);
  const [loading, setLoading] = useState(pupilId !== null);
  const [busy, setBusy] = useState(false);
  const [enrolling, setEnrolling] = useState(false);
  const id = pupil?.id ?? pupilId;

  /** the codice fiscale fills the birth date, unless one was typed that the old code did not give */
  function setTaxCode(taxCode: string) {
    const before = form.values.birthDate;
    form.set('taxCode', taxCode);
    const encoded = birthDateFromTaxCode(taxCode);
    if (encoded && (!before || before === birthDateFromTaxCode(form.values.taxCode))) form.set('birthDate', encoded);
  }

  /** «Ricarica» after a conflict (issue 14): the pupil as saved now, replacing what was typed */
  async function reload() {
    if (!id) return;
    try {
      const p = await call('pupils.get', { id });
      setPupil(p);
      form.reset(fromPupil(p));
    } catch (err) {
      notifyError(err);
    }
  }

  useEffect(() => {
    if (pupilId === null) return;
    call('pupils.get', { id: pupilId })
      .then((p) => {
        setPupil(p);
        form.reset(fromPupil(p));
      })
      .catch((err) => {
        notifyError(err);
        onClose();
      })
      .finally(() => setLoading(false));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pupilId]);

  const classes = useQuery('classes.list', form.values.schoolId ? { schoolId: Number(form.values.schoolId) } : null);
  const yearLabel = (yid: number) => lookups.schoolYears.find((y) => y.id === yid)?.label ?? '';

  async function save() {
    const v = form.values;
    const input = {
      firstName: v.firstName,
      lastName: v.lastName,
      birthDate: given(v.birthDate),
      taxCode: v.taxCode,
      schoolId: givenId(v.schoolId),
      classId: v.classId ? Number(v.classId) : null,
      notes: v.notes,
    };
    setBusy(true);
    try {
      if (id) {
        await call('pupils.update', { id, version: pupil?.version ?? 0, ...input });
        const p = await call('pupils.get', { id });
        setPupil(p);
        form.reset(fromPupil(p));
        notifySuccess(`Dati di ${p.lastName} ${p.firstName} salvati`);
      } else {
        const created = await call('pupils.create', input);
        const p = await call('pupils.get', { id: created.id });
        setPupil(p);
        setJustCreated(true);
        form.reset(fromPupil(p));
        notifySuccess(`${p.lastName} ${p.firstName}: codice utente ${p.userCode}`, `${agree(pupilSex(p.taxCode), 'Alunno')} ${agree(pupilSex(p.taxCode), 'registrato')}`);
        if (onCreated) {
          onSaved();
          onCreated(p);
          onClose();
          return;
        }
      }
      onSaved();
    } catch (err) {
      form.showError(err);
    } finally {
      setBusy(false);
    }
  }

  const title = pupil ? `${pupil.lastName} ${pupil.firstName}` : 'Nuovo alunno';
  const sex = pupil ? pupilSex(pupil.taxCode) : undefined;
  if (enrolling && pupil) {
    return <EnrollmentForm enrollment={null} pupil={pupilOption(pupil)} onClose={onClose} onSaved={() => onSaved()} />;
  }
  return (
    <FormModal dirty={form.dirty} onClose={onClose} title={title} size="lg" conflict={conflictOf(form.conflict, () => void reload())}>
      {loading ? (
        <ModalLoading />
      ) : (
        <ModalForm onSubmit={save} gap="sm">
            {pupil && (
              <Alert color={justCreated ? 'green' : 'blue'} variant="light" icon={<IconId />} title={justCreated ? `${agree(sex, 'Alunno')} ${agree(sex, 'registrato')}: codici generati` : undefined} data-testid="pupil-codes">
                <Group gap="xl">
                  <Text size="sm">
                    Codice utente (badge): <b data-testid="user-code">{pupil.userCode}</b>
                  </Text>
                  <Text size="sm">
                    Codice disdetta telefonica: <b data-testid="phone-code">{pupil.phoneCode}</b>
                  </Text>
                  <Button
                    size="xs"
                    variant="light"
                    leftSection={<IconWallet size={14} />}
                    onClick={() => {
                      rememberPupil({ value: String(pupil.id), label: `${pupil.lastName} ${pupil.firstName} · ${pupil.taxCode}` });
                      onClose();
                      navigate('/conto-alunno');
                    }}
                  >
                    Conto e pagamenti
                  </Button>
                  {!onCreated && (
                    <Button size="xs" leftSection={<IconSchool size={14} />} onClick={() => setEnrolling(true)} data-testid="pupil-enroll">
                      Iscrivi
                    </Button>
                  )}
                </Group>
              </Alert>
            )}
            <SimpleGrid cols={2}>
              <TextInput label="Cognome" withAsterisk value={form.values.lastName} onChange={(e) => form.set('lastName', e.currentTarget.value)} error={form.errors.lastName} data-autofocus />
              <TextInput label="Nome" withAsterisk value={form.values.firstName} onChange={(e) => form.set('firstName', e.currentTarget.value)} error={form.errors.firstName} />
              <CodeField label="Codice fiscale" withAsterisk maxLength={16} value={form.values.taxCode} onValue={setTaxCode} error={form.errors.taxCode} />
              <DateField label="Data di nascita" description="Dal codice fiscale, se indicato" withAsterisk value={form.values.birthDate} onChange={(v) => form.set('birthDate', v)} error={form.errors.birthDate} />
              {pupil && pupil.enrollments.length > 0 ? (
                // issue 12: once enrolled, school and class are the enrollment's (stated once, changed there)
                <TextInput
                  label="Scuola e classe"
                  readOnly
                  variant="filled"
                  value={`${pupil.schoolName}${pupil.className ? `, classe ${pupil.className}` : ''}`}
                  description="Dall'iscrizione dell'anno: si cambiano dall'iscrizione"
                  data-testid="pupil-place-readonly"
                />
              ) : (
              <>
              <Select
                label="Scuola"
                withAsterisk
                searchable
                data={schoolOptions(lookups.schools)}
                value={form.values.schoolId}
                onChange={(v) => {
                  form.set('schoolId', v);
                  form.set('classId', null);
                }}
                error={form.errors.schoolId}
                nothingFoundMessage="Nessuna scuola"
              />
              <Select
                label="Classe"
                clearable
                searchable
                disabled={!form.values.schoolId}
                placeholder={form.values.schoolId ? (classes.data?.length ? 'Scegliere la classe' : 'Nessuna classe per questa scuola') : 'Scegliere prima la scuola'}
                data={[...(classes.data ?? [])].sort((a, b) => b.schoolYearId - a.schoolYearId || a.name.localeCompare(b.name)).map((c) => ({ value: String(c.id), label: `${c.name} (${yearLabel(c.schoolYearId)})` }))}
                value={form.values.classId}
                onChange={(v) => form.set('classId', v)}
                error={form.errors.classId}
              />
              </>
              )}
            </SimpleGrid>
            <Textarea label="Note" autosize minRows={2} value={form.values.notes} onChange={(e) => form.set('notes', e.currentTarget.value)} error={form.errors.notes} />
            {pupil && pupil.enrollments.length > 0 && (
              <div>
                <Text size="sm" fw={600} mb={4}>
                  Iscrizioni al servizio mensa
                </Text>
                <Table withTableBorder fz="sm" verticalSpacing={4}>
                  <TableHead cells={['Anno', 'Pagante', 'Pagamento', 'Stato']} />
                  <Table.Tbody>
                    {pupil.enrollments.map((e) => (
                      <Table.Tr key={e.id}>
                        <Table.Td>{e.schoolYearLabel}</Table.Td>
                        <Table.Td>{e.payerName}</Table.Td>
                        <Table.Td>{PAYMENT_LABEL[e.paymentMethod as keyof typeof PAYMENT_LABEL] ?? e.paymentMethod}</Table.Td>
                        <Table.Td>
                          <Badge size="sm" variant="light" color={STATUS_COLOR[e.status as keyof typeof STATUS_COLOR] ?? 'gray'}>
                            {STATUS_LABEL[e.status as keyof typeof STATUS_LABEL] ?? e.status}
                          </Badge>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </div>
            )}
            <Group justify="flex-end" mt="xs">
              <Button variant="default" onClick={onClose}>
                {pupil ? 'Chiudi' : 'Annulla'}
              </Button>
              <Button type="submit" loading={busy}>
                {id ? 'Salva modifiche' : 'Registra alunno'}
              </Button>
            </Group>
        </ModalForm>
      )}
    </FormModal>
  );
}


function fromPupil(p: Pupil) {
  return {
    firstName: p.firstName,
    lastName: p.lastName,
    birthDate: p.birthDate as string | null,
    taxCode: p.taxCode,
    schoolId: String(p.schoolId) as string | null,
    classId: (p.classId ? String(p.classId) : null),
    notes: p.notes,
  };
}
