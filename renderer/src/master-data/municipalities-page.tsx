import { useState } from 'react';
import { Badge, Grid, Stack, Switch, Text, TextInput, Textarea } from '@mantine/core';
import { call } from '../api/client';
import { notifySuccess } from '../api/hooks';
import { useSession } from '../auth/session';
import { DateField } from '../components/fields';
import { useForm } from '../components/form';
import { AddButton } from '../components/add-button';
import { FormModalFooter, ModalForm } from '../components/modal-form';
import { useBusyAction } from '../components/use-busy-action';
import { PageHeader } from '../components/page';
import { formatDate } from '../format/dates';
import { useLookups, type Municipality } from './lookups';
import { EmptyState } from '../components/empty-state';
import { DataTable } from '../components/data-table';
import { conflictOf, FormModal } from '../components/form-dialog';
import { useReloadable } from '../components/use-reload';

function MunicipalityForm({ municipality, onClose }: { municipality: Municipality | null; onClose: () => void }) {
  const lookups = useLookups();
  const valuesOf = (municipality: Municipality | null) => ({
    name: municipality?.name ?? '',
    province: municipality?.province ?? '',
    cutoffTime: municipality?.cutoffTime ?? '09:00',
    enrollmentOpensOn: municipality?.enrollmentOpensOn ?? (null as string | null),
    enrollmentClosesOn: municipality?.enrollmentClosesOn ?? (null as string | null),
    notes: municipality?.notes ?? '',
    active: municipality?.active ?? true,
  });
  const form = useForm(valuesOf(municipality));
  // issue 14: the version loaded goes back with the save; «Ricarica» reads the comune as saved now
  const loaded = useReloadable(municipality, async (id) => (await call('municipalities.list', {})).find((m) => m.id === id), (m) => form.reset(valuesOf(m)));
  const { busy, run } = useBusyAction(form.showError);
  const v = form.values;

  async function save() {
    await run(async () => {
      const input = { ...v };
      const m = municipality ? await call('municipalities.update', { id: municipality.id, version: loaded.version, ...input }) : await call('municipalities.create', input);
      notifySuccess(`Comune di ${m.name} salvato`);
      await lookups.reload();
      onClose();
    });
  }

  return (
    <FormModal dirty={form.dirty} onClose={onClose} title={municipality ? `Comune di ${municipality.name}` : 'Nuovo comune'} size="lg" conflict={conflictOf(form.conflict, loaded.reload)}>
      <ModalForm onSubmit={save} gap="sm">
        <Grid gutter="sm">
          <Grid.Col span={6}>
            <TextInput label="Nome del comune" withAsterisk value={v.name} onChange={(e) => form.set('name', e.currentTarget.value)} error={form.errors.name} data-autofocus />
          </Grid.Col>
          <Grid.Col span={2}>
            <TextInput label="Provincia" maxLength={2} placeholder="BG" value={v.province} onChange={(e) => form.set('province', e.currentTarget.value.toUpperCase())} error={form.errors.province} />
          </Grid.Col>
          <Grid.Col span={4}>
            <TextInput
              label="Orario limite disdette"
              withAsterisk
              placeholder="HH:MM, ora italiana"
              maxLength={5}
              value={v.cutoffTime}
              onChange={(e) => form.set('cutoffTime', e.currentTarget.value)}
              error={form.errors.cutoffTime}
            />
          </Grid.Col>
          <Grid.Col span={6}>
            <DateField label="Apertura iscrizioni" value={v.enrollmentOpensOn} onChange={(x) => form.set('enrollmentOpensOn', x)} error={form.errors.enrollmentOpensOn} />
          </Grid.Col>
          <Grid.Col span={6}>
            <DateField label="Chiusura iscrizioni" value={v.enrollmentClosesOn} onChange={(x) => form.set('enrollmentClosesOn', x)} error={form.errors.enrollmentClosesOn} />
          </Grid.Col>
        </Grid>
        <Textarea label="Note" autosize minRows={2} value={v.notes} onChange={(e) => form.set('notes', e.currentTarget.value)} error={form.errors.notes} />
        <Switch label="Comune servito (attivo)" checked={v.active} onChange={(e) => form.set('active', e.currentTarget.checked)} />
        <FormModalFooter onCancel={onClose} busy={busy} />
      </ModalForm>
    </FormModal>
  );
}

export function MunicipalitiesPage() {
  const { municipalities } = useLookups();
  const session = useSession();
  const admin = session.can('amministratore');
  const [editing, setEditing] = useState<Municipality | 'new' | null>(null);
  return (
    <Stack gap="sm">
      <PageHeader
        title="Comuni"
        description="Comuni serviti, con l'orario limite per le disdette e la finestra delle iscrizioni"
        actions={
          admin && <AddButton onClick={() => setEditing('new')}>Nuovo comune</AddButton>
        }
      />
      <DataTable
        empty={
          <EmptyState
            filtered={false}
            nothing="Nessun comune registrato"
            noMatch=""
            hint={admin ? 'Aggiungere il primo comune servito, con il suo orario limite per le disdette.' : "I comuni serviti li aggiunge l'amministratore."}
            newLabel="Inserisci il primo comune"
            onNew={admin ? () => setEditing('new') : undefined}
          />
        }
        rows={municipalities}
        rowKey={(m) => m.id}
        onRowClick={admin ? (m) => setEditing(m) : undefined}
        columns={[
          { header: 'Comune', render: (m) => <Text size="sm" fw={500}>{m.name}</Text> },
          { header: 'Provincia', render: (m) => m.province },
          { header: 'Orario limite', render: (m) => m.cutoffTime },
          { header: 'Finestra iscrizioni', render: (m) => (m.enrollmentOpensOn ? `${formatDate(m.enrollmentOpensOn)} – ${formatDate(m.enrollmentClosesOn)}` : '—') },
          { header: 'Note', render: (m) => <Text size="sm" lineClamp={1}>{m.notes}</Text> },
          {
            header: 'Stato',
            render: (m) => (
              <Badge size="sm" variant="light" color={m.active ? 'green' : 'gray'}>
                {m.active ? 'Attivo' : 'Non attivo'}
              </Badge>
            ),
          },
        ]}
      />
      {editing !== null && <MunicipalityForm municipality={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Stack>
  );
}
