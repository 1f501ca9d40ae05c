import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Alert, FileInput, Group, MultiSelect, SegmentedControl, Select, Stack, Text, Textarea } from '@mantine/core';
import { IconPaperclip } from '@tabler/icons-react';
import { call } from '../api/client';
import { notifySuccess, useQuery } from '../api/hooks';
import { readBase64 } from '../components/file-base64';
import { DateField } from '../components/fields';
import { errorFor, given, useForm } from '../components/form';
import { FormModalFooter, ModalForm } from '../components/modal-form';
import { RemoteSelect, type RemoteOption } from '../components/remote-select';
import { useBusyAction } from '../components/use-busy-action';
import { searchPupils } from '../enrollments/enrollment-form';
import { currentYear, romeToday, useLookups, yearOptions } from '../master-data/lookups';
import { CATEGORY_LABELS, KIND_LABELS, options, SOURCE_LABELS, type DietCategory, type DietSource } from './labels';
import { FormModal } from '../components/form-dialog';

const ACCEPT = 'application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png';

/** The picker of a request's attachments: several PDF, JPEG or PNG files. */
function AttachmentInput(props: { label: string; value: File[]; onChange: (files: File[]) => void; error: ReactNode; withAsterisk?: boolean; 'data-testid'?: string }) {
  return <FileInput placeholder="Scegli il file" accept={ACCEPT} multiple clearable leftSection={<IconPaperclip size={16} />} {...props} />;
}

/**
 * A family's request as the office receives it (DI1–DI5): pupil and school year, medical or
 * ethical-religious, the diets from the catalogue, where it came from (enrollment, portal, e-mail:
 * paper handed to a school is not a source, DI4), and the files. A medical request needs the
 * medical certificate (DI2); the backend checks each file's content and keeps it with its hash.
 */
export function RequestForm({ opened, onClose, onSaved }: { opened: boolean; onClose: () => void; onSaved: (id: number) => void }) {
  const lookups = useLookups();
  const catalogue = useQuery('diets.catalogue', opened ? { onlyActive: true } : null);
  const [pupil, setPupil] = useState<RemoteOption | null>(null);
  const [certificates, setCertificates] = useState<File[]>([]);
  const [declarations, setDeclarations] = useState<File[]>([]);
  const form = useForm({
    schoolYearId: String(currentYear(lookups.schoolYears, romeToday())?.id ?? ''),
    category: 'medica' as DietCategory,
    dietTypeIds: [] as string[],
    source: 'email' as DietSource,
    receivedOn: romeToday() as string | null,
    validUntil: null as string | null,
    details: '',
  });
  const v = form.values;
  const defaultYear = currentYear(lookups.schoolYears, romeToday())?.id;
  const { set } = form;
  // the lookups may arrive after the form was first drawn
  useEffect(() => {
    if (opened && !v.schoolYearId && defaultYear) set('schoolYearId', String(defaultYear));
  }, [opened, v.schoolYearId, defaultYear, set]);
  const { busy, run } = useBusyAction((err) => form.showError(err, { pupilId: 'pupil' }));

  const dietData = useMemo(() => {
    const groups = new Map<string, { value: string; label: string }[]>();
    for (const t of catalogue.data ?? []) {
      if (t.category !== v.category) continue;
      const g = groups.get(KIND_LABELS[t.kind]) ?? [];
      g.push({ value: String(t.id), label: t.name });
      groups.set(KIND_LABELS[t.kind], g);
    }
    return [...groups.entries()].map(([group, items]) => ({ group, items }));
  }, [catalogue.data, v.category]);

  const close = () => {
    setPupil(null);
    setCertificates([]);
    setDeclarations([]);
    form.reset({ ...v, dietTypeIds: [], details: '', validUntil: null });
    onClose();
  };

  const submit = () =>
    run(async () => {
      const files = [
        ...(v.category === 'medica' ? certificates.map((f) => ({ f, kind: 'certificato_medico' as const })) : []),
        ...declarations.map((f) => ({ f, kind: 'autodichiarazione' as const })),
      ];
      const attachments = await Promise.all(files.map(async ({ f, kind }) => ({ fileName: f.name, contentBase64: await readBase64(f), kind })));
      const out = await call('diets.create', {
        pupilId: given(pupil ? Number(pupil.value) : null),
        schoolYearId: given(v.schoolYearId ? Number(v.schoolYearId) : null),
        category: v.category,
        dietTypeIds: v.dietTypeIds.map(Number),
        source: v.source,
        receivedOn: given(v.receivedOn),
        details: v.details,
        validUntil: v.category === 'medica' ? v.validUntil : null,
        attachments,
      });
      notifySuccess(v.category === 'medica' ? 'Richiesta registrata: attende l’approvazione di un supervisore' : 'Richiesta registrata', 'Dieta speciale');
      close();
      onSaved(out.id);
    });

  const attachmentError = errorFor(form.errors, 'attachments');
  return (
    <FormModal opened={opened} dirty={form.dirty} onClose={close} title="Nuova richiesta di dieta speciale" size="lg">
      <ModalForm onSubmit={submit} gap="sm">
        <RemoteSelect label="Alunno" placeholder="Cerca per cognome, nome o codice fiscale" value={pupil} onChange={setPupil} search={searchPupils} error={errorFor(form.errors, 'pupil') ?? errorFor(form.errors, 'pupilId')} withAsterisk data-testid="diet-pupil" />
        <Group grow align="flex-start">
          <Select label="Anno scolastico" data={yearOptions(lookups.schoolYears)} value={v.schoolYearId} onChange={(x) => form.set('schoolYearId', x ?? '')} error={errorFor(form.errors, 'schoolYearId')} withAsterisk allowDeselect={false} />
          <Select label="Provenienza" data={options(SOURCE_LABELS)} value={v.source} onChange={(x) => form.set('source', (x ?? 'email') as DietSource)} error={errorFor(form.errors, 'source')} allowDeselect={false} description="Le richieste cartacee consegnate a scuola non valgono" data-testid="diet-source" />
          <DateField label="Ricevuta il" value={v.receivedOn} onChange={(x) => form.set('receivedOn', x)} error={errorFor(form.errors, 'receivedOn')} />
        </Group>
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            Tipo di dieta
          </Text>
          <SegmentedControl
            data={options(CATEGORY_LABELS)}
            value={v.category}
            onChange={(x) => {
              form.set('category', x as DietCategory);
              form.set('dietTypeIds', []);
            }}
            data-testid="diet-category"
          />
        </Stack>
        <MultiSelect label="Diete" placeholder="Scegliere dal catalogo" data={dietData} value={v.dietTypeIds} onChange={(x) => form.set('dietTypeIds', x)} searchable error={errorFor(form.errors, 'dietTypeIds')} withAsterisk data-testid="diet-types" />
        <Textarea label="Dettagli" description="Obbligatori per le voci a testo libero" autosize minRows={2} value={v.details} onChange={(e) => form.set('details', e.currentTarget.value)} error={errorFor(form.errors, 'details')} />
        {v.category === 'medica' ? (
          <>
            <AttachmentInput label="Certificato medico (PDF, JPEG o PNG, al massimo 5 MB)" value={certificates} onChange={setCertificates} error={attachmentError} withAsterisk data-testid="diet-certificate" />
            <DateField label="Validità del certificato fino al" description="Solo se termina prima della fine dell'anno scolastico" value={v.validUntil} onChange={(x) => form.set('validUntil', x)} error={errorFor(form.errors, 'validUntil')} clearable />
            <Alert color="blue" variant="light" p="xs">
              <Text size="xs">Una dieta medica la approva un supervisore dopo aver visto il certificato (DI6).</Text>
            </Alert>
          </>
        ) : (
          <AttachmentInput label="Autodichiarazione della famiglia (facoltativa)" value={declarations} onChange={setDeclarations} error={attachmentError} />
        )}
        <FormModalFooter onCancel={close} busy={busy} submitLabel="Registra richiesta" />
      </ModalForm>
    </FormModal>
  );
}
