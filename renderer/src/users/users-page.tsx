import { useState } from 'react';
import { Badge, Button, Group, PasswordInput, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';
import { call, type ProcOutput } from '../api/client';
import { notifySuccess, useQuery } from '../api/hooks';
import { useSession } from '../auth/session';
import { DataTable } from '../components/data-table';
import { useForm } from '../components/form';
import { AddButton } from '../components/add-button';
import { FormModalFooter, ModalForm } from '../components/modal-form';
import { conflictOf, FormModal } from '../components/form-dialog';
import { useReloadable } from '../components/use-reload';
import { useBusyAction } from '../components/use-busy-action';
import { PageHeader } from '../components/page';
import { formatMoment } from '../format/dates';
import { ROLES, ROLE_LABELS, type Role } from '../../../electron/contract/roles';

type User = ProcOutput<'users.list'>[number];

const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));
const ROLE_COLOR: Record<Role, string> = { operatore: 'blue', supervisore: 'violet', amministratore: 'red' };
const ROLE_HELP: Record<Role, string> = {
  operatore: 'alunni, paganti, iscrizioni, importazioni',
  supervisore: "come l'operatore, più sospensioni, registro modifiche, approvazioni",
  amministratore: 'tutto, compresi utenti e anagrafiche dei comuni',
};

function NewUserModal({ onClose, onSaved }: { onClose: () => void; onSaved: () => void }) {
  const form = useForm({ username: '', displayName: '', role: 'operatore' as Role, password: '', confirm: '' });
  const { busy, run } = useBusyAction(form.showError);
  const v = form.values;
  async function save() {
    if (v.password !== v.confirm) {
      form.setErrors({ confirm: 'Le due password non coincidono' });
      return;
    }
    await run(async () => {
      const u = await call('users.create', { username: v.username, displayName: v.displayName, role: v.role, password: v.password });
      notifySuccess(`Utente ${u.username} creato con ruolo ${ROLE_LABELS[u.role]}`);
      onSaved();
      onClose();
    });
  }
  return (
    <FormModal dirty={form.dirty} onClose={onClose} title="Nuovo utente" centered>
      <ModalForm onSubmit={save} gap="sm">
        <TextInput label="Nome utente" withAsterisk autoComplete="off" value={v.username} onChange={(e) => form.set('username', e.currentTarget.value)} error={form.errors.username} data-autofocus />
        <TextInput label="Nome visualizzato" withAsterisk value={v.displayName} onChange={(e) => form.set('displayName', e.currentTarget.value)} error={form.errors.displayName} />
        <Select label="Ruolo" withAsterisk allowDeselect={false} data={ROLE_OPTIONS} value={v.role} onChange={(x) => x && form.set('role', x as Role)} error={form.errors.role} description={ROLE_HELP[v.role]} />
        <PasswordInput label="Password iniziale" withAsterisk description="Almeno 8 caratteri" autoComplete="new-password" value={v.password} onChange={(e) => form.set('password', e.currentTarget.value)} error={form.errors.password} />
        <PasswordInput label="Conferma password" withAsterisk autoComplete="new-password" value={v.confirm} onChange={(e) => form.set('confirm', e.currentTarget.value)} error={form.errors.confirm} />
        <FormModalFooter onCancel={onClose} busy={busy} submitLabel="Crea utente" />
      </ModalForm>
    </FormModal>
  );
}

function EditUserModal({ user, onClose, onSaved }: { user: User; onClose: () => void; onSaved: () => void }) {
  const valuesOf = (u: User) => ({ displayName: u.displayName, role: u.role as Role, active: u.active });
  const form = useForm(valuesOf(user));
  // issue 14: the version loaded goes back with the save; «Ricarica» reads the user as saved now
  const loaded = useReloadable(user, async (id) => (await call('users.list', {})).find((u) => u.id === id), (u) => form.reset(valuesOf(u)));
  const pw = useForm({ password: '' });
  const { busy, run } = useBusyAction(form.showError);
  const { busy: resetting, run: runReset } = useBusyAction(pw.showError);
  const v = form.values;
  async function save() {
    await run(async () => {
      await call('users.update', { id: user.id, version: loaded.version, ...v });
      notifySuccess(`Utente ${user.username} aggiornato`);
      onSaved();
      onClose();
    });
  }
  async function reset() {
    await runReset(async () => {
      await call('users.resetPassword', { id: user.id, password: pw.values.password });
      notifySuccess(`Nuova password impostata per ${user.username}: comunicarla all'interessato`, 'Password reimpostata');
      pw.reset({ password: '' });
    });
  }
  return (
    <FormModal dirty={form.dirty || pw.dirty} onClose={onClose} title={`Utente ${user.username}`} centered conflict={conflictOf(form.conflict, loaded.reload)}>
      <Stack gap="md">
        <ModalForm onSubmit={save} gap="sm">
          <TextInput label="Nome visualizzato" withAsterisk value={v.displayName} onChange={(e) => form.set('displayName', e.currentTarget.value)} error={form.errors.displayName} />
          <Select label="Ruolo" allowDeselect={false} data={ROLE_OPTIONS} value={v.role} onChange={(x) => x && form.set('role', x as Role)} error={form.errors.role} description={ROLE_HELP[v.role]} />
          <Switch label="Utente attivo (può accedere)" checked={v.active} onChange={(e) => form.set('active', e.currentTarget.checked)} error={form.errors.active} />
          <Text size="xs" c="dimmed">
            Cambiando ruolo o disattivando l'utente, le sue sessioni aperte si chiudono.
          </Text>
          <FormModalFooter onCancel={onClose} busy={busy} />
        </ModalForm>
        <form noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void reset();
          }}
        >
          <Stack gap="xs" pt="sm" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
            <Text size="sm" fw={600}>
              Reimposta password
            </Text>
            <Group align="flex-start" gap="xs">
              <PasswordInput placeholder="Nuova password" aria-label="Nuova password" autoComplete="new-password" value={pw.values.password} onChange={(e) => pw.set('password', e.currentTarget.value)} error={pw.errors.password} style={{ flex: 1 }} />
              <Button type="submit" variant="light" leftSection={<IconKey size={16} />} loading={resetting}>
                Reimposta
              </Button>
            </Group>
          </Stack>
        </form>
      </Stack>
    </FormModal>
  );
}

export function UsersPage() {
  const users = useQuery('users.list', {});
  const session = useSession();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  return (
    <Stack gap="sm">
      <PageHeader
        title="Utenti"
        description="Chi usa il programma e con quale ruolo"
        actions={
          <AddButton onClick={() => setCreating(true)}>Nuovo utente</AddButton>
        }
      />
      <DataTable
        testId="users-table"
        empty="Nessun utente"
        rows={users.data ?? []}
        rowKey={(u) => u.id}
        onRowClick={setEditing}
        columns={[
          { header: 'Nome utente', render: (u) => <Text size="sm" fw={500}>{u.username}</Text> },
          { header: 'Nome', render: (u) => `${u.displayName}${u.id === session.user?.id ? ' (tu)' : ''}` },
          {
            header: 'Ruolo',
            render: (u) => (
              <Badge size="sm" variant="light" color={ROLE_COLOR[u.role]}>
                {ROLE_LABELS[u.role]}
              </Badge>
            ),
          },
          {
            header: 'Stato',
            render: (u) => (
              <Badge size="sm" variant="dot" color={u.active ? 'green' : 'gray'}>
                {u.active ? 'Attivo' : 'Disattivato'}
              </Badge>
            ),
          },
          { header: 'Creato il', render: (u) => formatMoment(u.createdAt).slice(0, 10) },
        ]}
      />
      {creating && <NewUserModal onClose={() => setCreating(false)} onSaved={() => void users.reload()} />}
      {editing && <EditUserModal user={editing} onClose={() => setEditing(null)} onSaved={() => void users.reload()} />}
    </Stack>
  );
}
