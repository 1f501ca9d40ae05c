import { useState } from 'react';
import { Alert, Button, Group, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { TimeInput } from '@mantine/dates';
import { IconAlertTriangle } from '@tabler/icons-react';
import { call } from '../api/client';
import { notifySuccess, useQuery } from '../api/hooks';
import { CodeField, DateField, MoneyField } from '../components/fields';
import { useForm } from '../components/form';
import { ModalForm, FormModalFooter } from '../components/modal-form';
import { formatCents, parseEuroToCents } from '../format/money';
import { formatDate } from '../format/dates';
import { romeToday } from '../master-data/lookups';
import { romeMoment } from '../attendance/request-result';
import { MANUAL_CHANNEL_OPTIONS, REFUND_CHANNEL_OPTIONS } from './labels';
import { programNow } from '../app/program-clock';
import { FormModal } from '../components/form-dialog';

/** The program's time of day in Rome, 'HH:MM'. */
function romeTimeNow(): string {
  return new Intl.DateTimeFormat('it-IT', { timeZone: 'Europe/Rome', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(programNow());
}

const earlierOf = (a: string, b: string) => (a <= b ? a : b);

export type MoneyAction = 'pagopa' | 'pagamento' | 'rimborso' | 'rettifica';

const TITLES: Record<MoneyAction, string> = {
  pagopa: 'Registra ricevuta pagoPA (ricarica)',
  pagamento: 'Registra pagamento allo sportello o bonifico',
  rimborso: 'Rimborso del credito',
  rettifica: 'Rettifica del saldo',
};

const EMPTY = {
  service: 'mensa',
  noticeNumber: '',
  amount: '',
  /** rettifica: 'piu' adds to the balance, 'meno' takes from it */
  sign: 'piu' as 'piu' | 'meno',
  paidOn: null as string | null,
  paidTime: '',
  channel: 'bonifico',
  payerTaxCode: '',
  payerName: '',
  reference: '',
  reason: '',
};

/**
 * One modal for the four ways money enters or leaves a pupil's account. The amount is checked in
 * the window only as a number; every rule (notice-number check digits, duplicate IUV, refund above
 * the credit, supervisor role) is the backend's, and its message shows under the field. Before
 * saving, the operator confirms a one-line summary: an amount typed wrong is caught there.
 */
export function MoneyActionModal({
  action,
  pupil,
  onClose,
  onDone,
}: {
  action: MoneyAction;
  pupil: { id: number; name: string };
  onClose: () => void;
  onDone: () => void;
}) {
  const form = useForm<typeof EMPTY>({ ...EMPTY, paidOn: romeToday() });
  const services = useQuery('ledger.services', {});
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const v = form.values;

  function amountCents(): number | null {
    const c = parseEuroToCents(v.amount);
    if (c === null || c <= 0) {
      form.setErrors({ ...form.errors, amountCents: "Scrivere un importo maggiore di zero, ad esempio 50,00" });
      return null;
    }
    return action === 'rettifica' && v.sign === 'meno' ? -c : c;
  }

  function summary(cents: number): string {
    const service = services.data?.find((s) => s.code === v.service)?.name ?? v.service;
    switch (action) {
      case 'pagopa':
        return `Ricarica di ${formatCents(cents)} sul servizio ${service} di ${pupil.name}, avviso ${v.noticeNumber}, pagata il ${formatDate(v.paidOn)}.`;
      case 'pagamento':
        return `Pagamento di ${formatCents(cents)} (${MANUAL_CHANNEL_OPTIONS.find((c) => c.value === v.channel)?.label}) sul servizio ${service} di ${pupil.name}, del ${formatDate(v.paidOn)}.`;
      case 'rimborso':
        return `Rimborso di ${formatCents(cents)} (${REFUND_CHANNEL_OPTIONS.find((c) => c.value === v.channel)?.label}) dal credito ${service} di ${pupil.name}.`;
      case 'rettifica':
        return `Rettifica di ${formatCents(cents)} sul saldo ${service} di ${pupil.name}.`;
    }
  }

  function review() {
    const cents = amountCents();
    if (cents === null) return;
    setConfirming(summary(cents));
  }

  async function save() {
    const cents = amountCents();
    if (cents === null) return;
    setBusy(true);
    try {
      if (action === 'pagopa') {
        // no time typed: noon, or now when paid today before noon (a moment in the future is refused)
        const paidAt = v.paidOn ? romeMoment(v.paidOn, v.paidTime.trim() || (v.paidOn === romeToday() ? earlierOf('12:00', romeTimeNow()) : '12:00')) : null;
        await call('ledger.registerPagopa', {
          pupilId: pupil.id,
          service: v.service,
          noticeNumber: v.noticeNumber,
          amountCents: cents,
          // an absent moment is sent as such: the backend answers under the field
          paidAt: paidAt ?? (undefined as unknown as string),
          payerTaxCode: v.payerTaxCode.trim() || null,
          payerName: v.payerName,
        });
      } else if (action === 'pagamento') {
        await call('ledger.registerPayment', {
          pupilId: pupil.id,
          service: v.service,
          channel: v.channel as (typeof MANUAL_CHANNEL_OPTIONS)[number]['value'],
          amountCents: cents,
          paidOn: v.paidOn ?? (undefined as unknown as string),
          payerTaxCode: v.payerTaxCode.trim() || null,
          payerName: v.payerName,
          reference: v.reference,
        });
      } else if (action === 'rimborso') {
        await call('ledger.refund', {
          pupilId: pupil.id,
          service: v.service,
          amountCents: cents,
          channel: v.channel as (typeof REFUND_CHANNEL_OPTIONS)[number]['value'],
          paidOn: v.paidOn ?? (undefined as unknown as string),
          reference: v.reference,
          reason: v.reason,
        });
      } else {
        await call('ledger.adjust', { pupilId: pupil.id, service: v.service, amountCents: cents, reason: v.reason });
      }
      notifySuccess(confirming ?? '', 'Movimento registrato');
      onDone();
      onClose();
    } catch (err) {
      setConfirming(null);
      form.showError(err, { paidOn: 'paidOn', paidAt: 'paidOn' });
    } finally {
      setBusy(false);
    }
  }

  const serviceSelect = (
    <Select
      label="Servizio"
      withAsterisk
      allowDeselect={false}
      data={(services.data ?? []).filter((s) => s.active).map((s) => ({ value: s.code, label: s.name }))}
      value={v.service}
      onChange={(x) => form.set('service', x ?? 'mensa')}
      error={form.errors.service}
    />
  );

  return (
    <FormModal dirty={form.dirty || confirming !== null} onClose={onClose} title={`${TITLES[action]} · ${pupil.name}`} size="lg">
      {confirming ? (
        <Stack>
          <Alert color="blue" variant="light" title="Controllare prima di registrare" data-testid="money-confirm">
            {confirming}
          </Alert>
          <Text size="sm" c="dimmed">
            Un movimento registrato non si modifica: un errore si corregge con uno storno o una rettifica.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(null)}>
              Torna ai dati
            </Button>
            <Button onClick={() => void save()} loading={busy}>
              Conferma e registra
            </Button>
          </Group>
        </Stack>
      ) : (
        <ModalForm onSubmit={review}>
          {action === 'rettifica' && (
            <Alert color="yellow" variant="light" icon={<IconAlertTriangle />}>
              Solo un supervisore può rettificare un saldo; il motivo resta nel registro delle modifiche.
            </Alert>
          )}
          <SimpleGrid cols={2}>
            {serviceSelect}
            <MoneyField label="Importo" withAsterisk value={v.amount} onChange={(e) => form.set('amount', e.currentTarget.value)} error={form.errors.amountCents} data-autofocus />
            {action === 'pagopa' && (
              <>
                <CodeField label="Numero avviso o IUV" withAsterisk maxLength={40} value={v.noticeNumber} onValue={(x) => form.set('noticeNumber', x)} error={form.errors.noticeNumber} description="18 cifre dell'avviso pagoPA" />
                <Group grow align="flex-start">
                  <DateField label="Pagata il" withAsterisk value={v.paidOn} onChange={(x) => form.set('paidOn', x)} error={form.errors.paidOn} />
                  <TimeInput label="Ora" value={v.paidTime} onChange={(e) => form.set('paidTime', e.currentTarget.value)} />
                </Group>
              </>
            )}
            {(action === 'pagamento' || action === 'rimborso') && (
              <>
                <Select
                  label={action === 'rimborso' ? 'Rimborsato con' : 'Mezzo di pagamento'}
                  withAsterisk
                  allowDeselect={false}
                  data={action === 'rimborso' ? [...REFUND_CHANNEL_OPTIONS] : [...MANUAL_CHANNEL_OPTIONS]}
                  value={v.channel}
                  onChange={(x) => form.set('channel', x ?? 'bonifico')}
                  error={form.errors.channel}
                />
                <DateField label={action === 'rimborso' ? 'Data del rimborso' : 'Data del pagamento'} withAsterisk value={v.paidOn} onChange={(x) => form.set('paidOn', x)} error={form.errors.paidOn} />
              </>
            )}
            {action === 'rettifica' && (
              <Select
                label="Effetto sul saldo"
                allowDeselect={false}
                data={[
                  { value: 'piu', label: 'Aumenta il credito' },
                  { value: 'meno', label: 'Diminuisce il credito' },
                ]}
                value={v.sign}
                onChange={(x) => form.set('sign', (x ?? 'piu') as 'piu' | 'meno')}
              />
            )}
            {(action === 'pagopa' || action === 'pagamento') && (
              <>
                <CodeField label="Codice fiscale di chi ha pagato" maxLength={16} value={v.payerTaxCode} onValue={(x) => form.set('payerTaxCode', x)} error={form.errors.payerTaxCode} />
                <TextInput label="Nome di chi ha pagato" value={v.payerName} onChange={(e) => form.set('payerName', e.currentTarget.value)} error={form.errors.payerName} />
              </>
            )}
            {(action === 'pagamento' || action === 'rimborso') && (
              <TextInput label="Riferimento (CRO, ricevuta…)" value={v.reference} onChange={(e) => form.set('reference', e.currentTarget.value)} error={form.errors.reference} />
            )}
          </SimpleGrid>
          {(action === 'rimborso' || action === 'rettifica') && (
            <Textarea label="Motivo" withAsterisk autosize minRows={2} value={v.reason} onChange={(e) => form.set('reason', e.currentTarget.value)} error={form.errors.reason} />
          )}
          <FormModalFooter onCancel={onClose} busy={busy} submitLabel="Avanti" />
        </ModalForm>
      )}
    </FormModal>
  );
}
