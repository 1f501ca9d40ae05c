import { PasswordInput } from '@mantine/core';
import { call } from '../api/client';
import { notifySuccess } from '../api/hooks';
import { useForm } from '../components/form';
import { FormModalFooter, ModalForm } from '../components/modal-form';
import { useBusyAction } from '../components/use-busy-action';
import { FormModal } from '../components/form-dialog';

export function ChangePasswordModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const form = useForm({ current: '', next: '', confirm: '' });
  const { busy, run } = useBusyAction(form.showError);

  function close() {
    form.reset({ current: '', next: '', confirm: '' });
    onClose();
  }

  async function save() {
    if (form.values.next !== form.values.confirm) {
      form.setErrors({ confirm: 'Le due password non coincidono' });
      return;
    }
    await run(async () => {
      await call('auth.changePassword', { current: form.values.current, next: form.values.next });
      notifySuccess('La nuova password vale dal prossimo accesso', 'Password cambiata');
      close();
    });
  }

  return (
    <FormModal opened={opened} dirty={form.dirty} onClose={close} title="Cambia password" centered>
      <ModalForm onSubmit={save}>
        <PasswordInput label="Password attuale" autoComplete="current-password" value={form.values.current} onChange={(e) => form.set('current', e.currentTarget.value)} error={form.errors.current} data-autofocus />
        <PasswordInput label="Nuova password" description="Almeno 8 caratteri" autoComplete="new-password" value={form.values.next} onChange={(e) => form.set('next', e.currentTarget.value)} error={form.errors.next} />
        <PasswordInput label="Conferma nuova password" autoComplete="new-password" value={form.values.confirm} onChange={(e) => form.set('confirm', e.currentTarget.value)} error={form.errors.confirm} />
        <FormModalFooter onCancel={close} busy={busy} />
      </ModalForm>
    </FormModal>
  );
}
