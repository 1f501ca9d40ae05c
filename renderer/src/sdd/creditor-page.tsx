import { useEffect } from 'react';
import { Alert, Anchor, Card, List, Select, SimpleGrid, Stack, Switch, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { call } from '../api/client';
import { useQuery, notifySuccess } from '../api/hooks';
import { useSession } from '../auth/session';
import { navigate } from '../app/router';
import { PageHeader } from '../components/page';
import { SettingsFormCard } from '../components/settings-form';
import { CodeField, MoneyField } from '../components/fields';
import { useForm } from '../components/form';
import { conflictOf } from '../components/form-dialog';
import { useBusyAction } from '../components/use-busy-action';
import { centsToInput, parseEuroToCents } from '../format/money';
import { formatMoment } from '../format/dates';
import { formatIbanText } from '../payers/iban';
import { IbanField } from './mandate-form';

const SEQUENCE_OPTIONS = [
  { value: 'rcur', label: 'RCUR dal primo addebito (regola SEPA dal 2016)' },
  { value: 'frst_poi_rcur', label: 'FRST al primo addebito di ogni mandato, poi RCUR' },
];

const EMPTY = { creditorId: '', creditorIban: '', bic: '', cuc: '', sequencePolicy: 'rcur' as string | null, commission: '1,00', prenotificationDays: '14', batchBooking: true };

/** ABI of an Italian IBAN (positions 6-10) as typed, for display; the backend derives the stored one. */
function abiOf(iban: string): string {
  const c = iban.replace(/\s+/g, '').toUpperCase();
  return /^IT\d{2}[A-Z]\d{5}/.test(c) ? c.slice(5, 10) : '';
}

/**
 * Impostazioni SDD: the creditor's bank data for the monthly direct debits (creditor identifier,
 * the credited account and its ABI, CBI company code, sequence type, P4 commission, P8 notice).
 * Name and address come from Dati della ditta. The administrator edits; everyone else reads.
 */
export function CreditorPage() {
  const session = useSession();
  const admin = session.can('amministratore');
  const current = useQuery('sdd.creditor.get', {});
  const form = useForm(EMPTY);
  const { busy, run } = useBusyAction(form.showError);
  const v = form.values;

  useEffect(() => {
    const d = current.data;
    if (!d) return;
    const s = d.settings;
    form.reset(
      s
        ? {
            creditorId: s.creditorId,
            creditorIban: formatIbanText(s.creditorIban),
            bic: s.bic,
            cuc: s.cuc,
            sequencePolicy: s.sequencePolicy,
            commission: centsToInput(s.commissionCents),
            prenotificationDays: String(s.prenotificationDays),
            batchBooking: s.batchBooking,
          }
        : { ...EMPTY, sequencePolicy: d.defaults.sequencePolicy, commission: centsToInput(d.defaults.commissionCents), prenotificationDays: String(d.defaults.prenotificationDays), batchBooking: d.defaults.batchBooking },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [current.data]);

  async function save() {
    const commission = parseEuroToCents(v.commission);
    const days = Number(v.prenotificationDays);
    if (commission === null) {
      form.setErrors({ commissionCents: 'Importo non valido (es. 1,00)' });
      return;
    }
    await run(async () => {
      await call('sdd.creditor.update', {
        creditorId: v.creditorId,
        creditorIban: v.creditorIban,
        bic: v.bic,
        cuc: v.cuc,
        sequencePolicy: (v.sequencePolicy ?? 'rcur') as 'rcur' | 'frst_poi_rcur',
        commissionCents: commission,
        prenotificationDays: Number.isInteger(days) ? days : 0,
        batchBooking: v.batchBooking,
        version: current.data?.version ?? 0,
      });
      notifySuccess('Impostazioni SDD salvate');
      await current.reload();
    });
  }

  const d = current.data;
  const abi = abiOf(v.creditorIban);
  return (
    <Stack maw={900}>
      <PageHeader title="Impostazioni SDD" description="Dati del creditore per gli addebiti diretti SEPA e i file per la banca (CBI)" />
      {d && d.missing.length > 0 && (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle />} title="Per preparare i file della banca mancano:" data-testid="creditor-missing">
          <List size="sm">
            {d.missing.map((m) => (
              <List.Item key={m}>{m}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      <Card withBorder>
        <Text size="xs" c="dimmed">
          Creditore (da Dati della ditta)
        </Text>
        {d?.caterer ? (
          <Text size="sm" data-testid="creditor-name">
            {d.caterer.name} · {d.caterer.address} · C.F. {d.caterer.taxCode}
          </Text>
        ) : (
          <Text size="sm">
            Non ancora inseriti: <Anchor onClick={() => navigate('/anagrafiche/ditta')}>Anagrafiche › Dati della ditta</Anchor>
          </Text>
        )}
      </Card>
      <SettingsFormCard onSubmit={save} canEdit={admin} busy={busy} conflict={conflictOf(form.conflict, () => void current.reload())}>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <CodeField
            label="Identificativo del creditore (CI)"
            description="IT + 2 cifre di controllo + ZZZ + codice fiscale (23 caratteri)"
            withAsterisk
            readOnly={!admin}
            maxLength={35}
            placeholder="IT04ZZZ0000012345678903"
            value={v.creditorId}
            onValue={(x) => form.set('creditorId', x)}
            error={form.errors.creditorId}
          />
          <CodeField label="Codice CUC (CBI)" description="8 caratteri, dal contratto CBI con la banca" withAsterisk readOnly={!admin} maxLength={8} value={v.cuc} onValue={(x) => form.set('cuc', x)} error={form.errors.cuc} />
          {admin ? (
            <IbanField label="IBAN del conto di accredito" value={v.creditorIban} onChange={(x) => form.set('creditorIban', x)} error={form.errors.creditorIban} />
          ) : (
            <TextInput label="IBAN del conto di accredito" readOnly value={v.creditorIban} styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }} />
          )}
          <SimpleGrid cols={2}>
            <TextInput label="ABI della banca" description="Dall'IBAN (posizioni 6-10)" readOnly value={abi} data-testid="creditor-abi" />
            <CodeField label="BIC (facoltativo)" description="8 o 11 caratteri" readOnly={!admin} maxLength={11} value={v.bic} onValue={(x) => form.set('bic', x)} error={form.errors.bic} />
          </SimpleGrid>
          <Select label="Tipo di sequenza" data={SEQUENCE_OPTIONS} readOnly={!admin} allowDeselect={false} value={v.sequencePolicy} onChange={(x) => form.set('sequencePolicy', x)} error={form.errors.sequencePolicy} />
          <SimpleGrid cols={2}>
            <MoneyField label="Commissione per alunno (P4)" readOnly={!admin} value={v.commission} onChange={(e) => form.set('commission', e.currentTarget.value)} error={form.errors.commissionCents} />
            <TextInput label="Giorni di preavviso (P8)" description="Di norma 14" inputMode="numeric" readOnly={!admin} value={v.prenotificationDays} onChange={(e) => form.set('prenotificationDays', e.currentTarget.value)} error={form.errors.prenotificationDays} />
          </SimpleGrid>
        </SimpleGrid>
        <Switch label="Accredito cumulativo (un solo accredito per distinta)" disabled={!admin} checked={v.batchBooking} onChange={(e) => form.set('batchBooking', e.currentTarget.checked)} />
        {d?.settings && (
          <Text size="xs" c="dimmed">
            Ultima modifica: {formatMoment(d.settings.updatedAt)}
          </Text>
        )}
      </SettingsFormCard>
    </Stack>
  );
}
