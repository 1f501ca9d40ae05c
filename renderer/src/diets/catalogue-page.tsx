import { useCallback, useEffect, useState } from 'react';
import { Badge, Button, Checkbox, Group, NumberInput, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { call, type ProcOutput } from '../api/client';
import { notifyError, notifySuccess, useQuery } from '../api/hooks';
import { useSession } from '../auth/session';
import { EmptyState } from '../components/empty-state';
import { AddButton } from '../components/add-button';
import { DataTable } from '../components/data-table';
import { errorFor, isStaleVersion, useForm } from '../components/form';
import { FormModalFooter, ModalForm } from '../components/modal-form';
import { PageHeader } from '../components/page';
import { useBusyAction } from '../components/use-busy-action';
import { formatBytes, CATEGORY_LABELS, KIND_LABELS, options, type DietCategory } from './labels';
import { ConflictAlert, conflictOf, FormModal } from '../components/form-dialog';

type DietType = ProcOutput<'diets.catalogue'>[number];
type Kind = DietType['kind'];

function TypeForm({ type, onClose, onSaved }: { type: DietType | 'new' | null; onClose: () => void; onSaved: () => void }) {
  const form = useForm({ name: '', category: 'medica' as DietCategory, kind: 'altro' as Kind, freeText: false, active: true });
  const { busy, run } = useBusyAction((err) => form.showError(err));
  const { reset } = form;
  // issue 14: the entry as loaded (its version goes back with the save); «Ricarica» reads it as saved now
  const [loaded, setLoaded] = useState<DietType | null>(null);
  const fill = useCallback((t: DietType) => {
    setLoaded(t);
    reset({ name: t.name, category: t.category, kind: t.kind, freeText: t.freeText, active: t.active });
  }, [reset]);
  useEffect(() => {
    if (type === 'new') {
      setLoaded(null);
      reset({ name: '', category: 'medica', kind: 'altro', freeText: false, active: true });
    } else if (type) fill(type);
  }, [type, reset, fill]);
  const reloadType = () => {
    if (!loaded) return;
    call('diets.catalogue', {})
      .then((all) => {
        const t = all.find((x) => x.id === loaded.id);
        if (t) fill(t);
      })
      .catch((err) => notifyError(err));
  };
  const v = form.values;
  return (
    <FormModal opened={type !== null} dirty={form.dirty} onClose={onClose} title={type === 'new' ? 'Nuova voce del catalogo' : 'Voce del catalogo'} conflict={conflictOf(form.conflict, reloadType)}>
      <ModalForm
        gap="sm"
        onSubmit={() =>
          run(async () => {
            await call('diets.catalogueSave', { ...(type && type !== 'new' ? { id: type.id, version: loaded?.version ?? type.version } : {}), ...v });
            notifySuccess('Catalogo aggiornato');
            onSaved();
            onClose();
          })
        }
      >
        <TextInput label="Nome" value={v.name} onChange={(e) => form.set('name', e.currentTarget.value)} error={errorFor(form.errors, 'name')} withAsterisk />
        <Select label="Categoria" data={options(CATEGORY_LABELS)} value={v.category} onChange={(x) => form.set('category', (x ?? 'medica') as DietCategory)} error={errorFor(form.errors, 'category')} allowDeselect={false} />
        <Select label="Tipo" data={options(KIND_LABELS)} value={v.kind} onChange={(x) => form.set('kind', (x ?? 'altro') as Kind)} error={errorFor(form.errors, 'kind')} allowDeselect={false} />
        <Checkbox label="Richiede una descrizione (testo libero)" checked={v.freeText} onChange={(e) => form.set('freeText', e.currentTarget.checked)} />
        <Checkbox label="Attiva (proposta nelle nuove richieste)" checked={v.active} onChange={(e) => form.set('active', e.currentTarget.checked)} />
        <FormModalFooter onCancel={onClose} busy={busy} />
      </ModalForm>
    </FormModal>
  );
}

function SettingsCard() {
  const session = useSession();
  const { data, reload } = useQuery('diets.settings', {});
  const purge = useQuery('diets.purgePreview', session.can('supervisore') ? {} : null);
  const [deadline, setDeadline] = useState('');
  const [retention, setRetention] = useState<number | string>(12);
  const [newDays, setNewDays] = useState<number | string>(5);
  const [busy, setBusy] = useState(false);
  // issue 14: a save refused because someone else changed the settings meanwhile, shown here with «Ricarica»
  const [conflict, setConflict] = useState<string | null>(null);
  useEffect(() => {
    if (!data) return;
    setConflict(null);
    setDeadline(`${data.renewalDeadline.slice(3)}/${data.renewalDeadline.slice(0, 2)}`);
    setRetention(data.retentionMonths);
    setNewDays(data.newDays);
  }, [data]);
  const editable = session.can('supervisore');
  const save = async () => {
    setBusy(true);
    try {
      const [d, m] = deadline.split('/');
      await call('diets.updateSettings', { renewalDeadline: `${(m ?? '').padStart(2, '0')}-${(d ?? '').padStart(2, '0')}`, retentionMonths: Number(retention), newDays: Number(newDays), version: data?.version ?? 0 });
      notifySuccess('Impostazioni salvate');
      await reload();
    } catch (err) {
      if (isStaleVersion(err)) setConflict(err.message);
      else notifyError(err, 'Impostazioni non salvate');
    } finally {
      setBusy(false);
    }
  };
  const doPurge = async () => {
    setBusy(true);
    try {
      const r = await call('diets.purge', {});
      notifySuccess(`Contenuto eliminato da ${r.purged} allegati (resta la traccia)`, 'Conservazione');
      await purge.reload();
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder radius="sm" p="md">
      <Stack gap="sm">
        <Title order={4}>Impostazioni</Title>
        <ConflictAlert conflict={conflictOf(conflict, () => void reload())} />
        <Group align="flex-end">
          <TextInput label="Scadenza del rinnovo (gg/mm)" value={deadline} onChange={(e) => setDeadline(e.currentTarget.value)} w={200} disabled={!editable} />
          <NumberInput label="Conservazione certificati (mesi dopo l'anno)" value={retention} onChange={setRetention} min={1} max={120} w={260} disabled={!editable} />
          <NumberInput label="Giorni di «nuova» in cucina" value={newDays} onChange={setNewDays} min={0} max={30} w={200} disabled={!editable} />
          {editable && (
            <Button onClick={() => void save()} loading={busy}>
              Salva
            </Button>
          )}
        </Group>
        {editable && purge.data && (
          <Group justify="space-between">
            <Text size="sm">
              Allegati oltre il periodo di conservazione: <b>{purge.data.length}</b>
              {purge.data.length ? ` (${formatBytes(purge.data.reduce((n, c) => n + c.sizeBytes, 0))})` : ''}. Se ne elimina il contenuto; resta la traccia di chi e quando.
            </Text>
            <Button color="red" variant="light" disabled={!purge.data.length} loading={busy} onClick={() => void doPurge()}>
              Elimina contenuto scaduto
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

/** The catalogue of diet types (administrator edits it) and the diet settings (supervisor). */
export function CataloguePage() {
  const session = useSession();
  const { data, reload } = useQuery('diets.catalogue', {});
  const [editing, setEditing] = useState<DietType | 'new' | null>(null);
  const admin = session.can('amministratore');
  return (
    <Stack gap="sm">
      <PageHeader
        title="Catalogo diete"
        description="Allergeni del Reg. UE 1169/2011, intolleranze, malattie metaboliche e diete etico-religiose"
        actions={admin ? <AddButton onClick={() => setEditing('new')}>Nuova voce</AddButton> : null}
      />
      <SettingsCard />
      <DataTable<DietType>
        testId="diet-catalogue"
        rows={data ?? []}
        rowKey={(t) => t.id}
        onRowClick={admin ? (t) => setEditing(t) : undefined}
        empty={
          <EmptyState
            filtered={false}
            nothing="Il catalogo delle diete è vuoto"
            noMatch=""
            hint={admin ? 'Aggiungere le diete che la cucina prepara (allergeni, etico-religiose…) con «Nuova voce».' : "Le voci del catalogo le aggiunge l'amministratore."}
            newLabel="Inserisci la prima voce"
            onNew={admin ? () => setEditing('new') : undefined}
          />
        }
        columns={[
          { header: 'Nome', render: (t) => t.name },
          { header: 'Categoria', width: 150, render: (t) => CATEGORY_LABELS[t.category] },
          { header: 'Tipo', render: (t) => KIND_LABELS[t.kind] },
          { header: 'Stato', width: 100, render: (t) => (t.active ? <Badge variant="light">attiva</Badge> : <Badge color="gray" variant="light">non attiva</Badge>) },
        ]}
      />
      <TypeForm type={editing} onClose={() => setEditing(null)} onSaved={() => void reload()} />
    </Stack>
  );
}
