import { useEffect } from 'react';
import { Alert, SimpleGrid, Stack, Switch, TextInput } from '@mantine/core';
import { call } from '../api/client';
import { notifyError, notifySuccess, useQuery } from '../api/hooks';
import { useSession } from '../auth/session';
import { PageHeader } from '../components/page';
import { SettingsFormCard } from '../components/settings-form';
import { CodeField } from '../components/fields';
import { isStaleVersion, useForm } from '../components/form';
import { conflictOf } from '../components/form-dialog';
import { useBusyAction } from '../components/use-busy-action';

const EMPTY = { companyName: '', street: '', streetNumber: '', postcode: '', town: '', province: '', vatNumber: '', taxCode: '', email: '', phone: '' };

/**
 * Dati della ditta: who issues the statements and the 730 statements (name, address, P.IVA,
 * codice fiscale). The administrator edits them; everyone else reads them.
 */
export function CatererPage() {
  const session = useSession();
  const admin = session.can('amministratore');
  const current = useQuery('caterer.get', {});
  const settings730 = useQuery('tax730.settings', {});
  const form = useForm(EMPTY);
  const { busy, run } = useBusyAction(form.showError);

  // also «Ricarica» after a conflict (issue 14): the data as saved now replace what was typed
  useEffect(() => {
    if (current.data?.caterer) form.reset({ ...EMPTY, ...current.data.caterer });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [current.data]);

  const save = () =>
    run(async () => {
      await call('caterer.update', { ...form.values, version: current.data?.version ?? 0 });
      notifySuccess('Dati della ditta salvati');
      await current.reload();
    });

  async function toggleCommission(include: boolean) {
    try {
      await call('tax730.updateSettings', { includeSddCommission: include, version: settings730.data?.version ?? 0 });
      await settings730.reload();
      notifySuccess(include ? 'La commissione SDD entra nell’importo del 730' : 'La commissione SDD resta fuori dall’importo del 730');
    } catch (err) {
      notifyError(err, 'Impostazione non salvata');
      // changed meanwhile by someone else (issue 14): the switch shows what is saved now
      if (isStaleVersion(err)) await settings730.reload();
    }
  }

  const field = (key: keyof typeof EMPTY, label: string, required = false) => (
    <TextInput label={label} withAsterisk={required} readOnly={!admin} value={form.values[key]} onChange={(e) => form.set(key, e.currentTarget.value)} error={form.errors[key]} />
  );

  return (
    <Stack maw={900}>
      <PageHeader title="Dati della ditta" description="Intestazione di estratti conto e dichiarazioni 730" />
      {current.data && !current.data.configured && (
        <Alert color="orange" variant="light">
          Dati della ditta non ancora inseriti: le dichiarazioni 730 non si possono emettere.
        </Alert>
      )}
      <SettingsFormCard onSubmit={save} canEdit={admin} busy={busy} conflict={conflictOf(form.conflict, () => void current.reload())}>
        {field('companyName', 'Ragione sociale', true)}
        <SimpleGrid cols={{ base: 2, md: 4 }}>
          {field('street', 'Via', true)}
          {field('streetNumber', 'Numero civico')}
          {field('postcode', 'CAP', true)}
          {field('town', 'Comune', true)}
          {field('province', 'Provincia (sigla)', true)}
          <CodeField label="Partita IVA" withAsterisk readOnly={!admin} maxLength={13} value={form.values.vatNumber} onValue={(v) => form.set('vatNumber', v)} error={form.errors.vatNumber} />
          <CodeField label="Codice fiscale" withAsterisk readOnly={!admin} maxLength={16} value={form.values.taxCode} onValue={(v) => form.set('taxCode', v)} error={form.errors.taxCode} />
          {field('phone', 'Telefono')}
        </SimpleGrid>
        {field('email', 'E-mail')}
      </SettingsFormCard>
      {settings730.data && (
        <Switch
          label="Includere la commissione bancaria SDD nell'importo del 730"
          checked={settings730.data.includeSddCommission}
          disabled={!admin}
          onChange={(e) => void toggleCommission(e.currentTarget.checked)}
        />
      )}
    </Stack>
  );
}
