import { useState } from 'react';
import { Button, Group, Modal, PasswordInput, Stack } from '@mantine/core';
import { call } from '../api/client';
import { notifySuccess } from '../api/hooks';
import { useForm } from '../components/form';

export function ChangePasswordModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const form = useForm({ current: '', next: '', confirm: '' });
  const [busy, setBusy] = useState(false);

  function close() {
    form.reset({ current: '', next: '', confirm: '' });
    onClose();
  }

  async function save() {
    if (form.values.next !== form.values.confirm) {
      form.setErrors({ confirm: 'Le due password non coincidono' });
      return;
    }
    setBusy(true);
    try {
      await call('auth.changePassword', { current: form.values.current, next: form.values.next });
      notifySuccess('La nuova password vale dal prossimo accesso', 'Password cambiata');
      close();
    } catch (err) {
      form.showError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal opened={opened} onClose={close} title="Cambia password" centered>
      <form noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Stack>
          <PasswordInput label="Password attuale" autoComplete="current-password" value={form.values.current} onChange={(e) => form.set('current', e.currentTarget.value)} error={form.errors.current} data-autofocus />
          <PasswordInput label="Nuova password" description="Almeno 8 caratteri" autoComplete="new-password" value={form.values.next} onChange={(e) => form.set('next', e.currentTarget.value)} error={form.errors.next} />
          <PasswordInput label="Conferma nuova password" autoComplete="new-password" value={form.values.confirm} onChange={(e) => form.set('confirm', e.currentTarget.value)} error={form.errors.confirm} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Annulla
            </Button>
            <Button type="submit" loading={busy}>
              Salva
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
