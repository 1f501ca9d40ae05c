import { useState } from 'react';
import { Badge, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { call } from '../api/client';
import { notifySuccess } from '../api/hooks';
import { useSession } from '../auth/session';
import { EmptyState } from '../components/empty-state';
import { DataTable } from '../components/data-table';
import { DateField } from '../components/fields';
import { given, useForm } from '../components/form';
import { AddButton } from '../components/add-button';
import { FormModalFooter, ModalForm } from '../components/modal-form';
import { useBusyAction } from '../components/use-busy-action';
import { PageHeader } from '../components/page';
import { formatDate } from '../format/dates';
import { currentYear, romeToday, useLookups } from './lookups';
import { FormModal } from '../components/form-dialog';

function SchoolYearForm({ onClose }: { onClose: () => void }) {
  const lookups = useLookups();
  const last = lookups.schoolYears[lookups.schoolYears.length - 1];
  const nextStart = last ? Number(last.label.slice(5)) : Number(romeToday().slice(0, 4));
  const form = useForm({
    label: `${nextStart}/${nextStart + 1}`,
    startsOn: `${nextStart}-09-01` as string | null,
    endsOn: `${nextStart + 1}-06-30` as string | null,
  });
  const { busy, run } = useBusyAction(form.showError);

  async function save() {
    await run(async () => {
      const y = await call('schoolYears.create', { label: form.values.label, startsOn: given(form.values.startsOn), endsOn: given(form.values.endsOn) });
      notifySuccess(`Anno scolastico ${y.label} aggiunto`);
      await lookups.reload();
      onClose();
    });
  }

  return (
    <FormModal dirty={form.dirty} onClose={onClose} title="Nuovo anno scolastico" centered>
      <ModalForm onSubmit={save} gap="sm">
        <TextInput label="Anno scolastico" placeholder="es. 2026/2027" withAsterisk value={form.values.label} onChange={(e) => form.set('label', e.currentTarget.value)} error={form.errors.label} data-autofocus />
        <SimpleGrid cols={2}>
          <DateField label="Inizio" withAsterisk value={form.values.startsOn} onChange={(v) => form.set('startsOn', v)} error={form.errors.startsOn} />
          <DateField label="Fine" withAsterisk value={form.values.endsOn} onChange={(v) => form.set('endsOn', v)} error={form.errors.endsOn} />
        </SimpleGrid>
        <FormModalFooter onCancel={onClose} busy={busy} submitLabel="Aggiungi" />
      </ModalForm>
    </FormModal>
  );
}

export function SchoolYearsPage() {
  const { schoolYears } = useLookups();
  const session = useSession();
  const [creating, setCreating] = useState(false);
  const today = romeToday();
  const current = currentYear(schoolYears, today);
  return (
    <Stack gap="sm">
      <PageHeader
        title="Anni scolastici"
        description="Le iscrizioni e le classi valgono per un anno scolastico (settembre–giugno)"
        actions={
          session.can('amministratore') && <AddButton onClick={() => setCreating(true)}>Nuovo anno scolastico</AddButton>
        }
      />
      <DataTable
        empty={
          <EmptyState
            filtered={false}
            nothing="Nessun anno scolastico registrato"
            noMatch=""
            hint={session.can('amministratore') ? 'Aggiungere quello in corso: iscrizioni e classi valgono per un anno scolastico.' : "Gli anni scolastici li aggiunge l'amministratore."}
            newLabel="Inserisci il primo anno scolastico"
            onNew={session.can('amministratore') ? () => setCreating(true) : undefined}
          />
        }
        rows={[...schoolYears].reverse()}
        rowKey={(y) => y.id}
        columns={[
          { header: 'Anno scolastico', render: (y) => <Text size="sm" fw={500}>{y.label}</Text> },
          { header: 'Inizio', render: (y) => formatDate(y.startsOn) },
          { header: 'Fine', render: (y) => formatDate(y.endsOn) },
          {
            header: '',
            render: (y) =>
              y.id === current?.id && y.startsOn <= today && y.endsOn >= today ? (
                <Badge size="sm" variant="light" color="green">
                  In corso
                </Badge>
              ) : y.startsOn > today ? (
                <Badge size="sm" variant="light" color="blue">
                  Futuro
                </Badge>
              ) : null,
          },
        ]}
      />
      {creating && <SchoolYearForm onClose={() => setCreating(false)} />}
    </Stack>
  );
}
