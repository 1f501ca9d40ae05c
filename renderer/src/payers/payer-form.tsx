import { useEffect, useState } from 'react';
import { ActionIcon, Button, Divider, Grid, Group, Text, TextInput, Tooltip } from '@mantine/core';
import { IconFileInvoice, IconPlus, IconReportMoney, IconSignature, IconTrash } from '@tabler/icons-react';
import { rememberPayer } from '../attendance/selected-pupil';
import { navigate } from '../app/router';
import { call, type ProcOutput } from '../api/client';
import { notifyError, notifySuccess } from '../api/hooks';
import { CodeField } from '../components/fields';
import { useForm } from '../components/form';
import { formatIbanText } from './iban';
import { openPayerMandates } from '../sdd/mandate-payer';
import { ModalForm, ModalLoading } from '../components/modal-form';
import { openDebtFamily } from '../debts/labels';
import { conflictOf, FormModal } from '../components/form-dialog';

export type Payer = ProcOutput<'payers.get'>;

interface Delegate {
  key: number;
  firstName: string;
  lastName: string;
  taxCode: string;
}

const EMPTY = {
  firstName: '',
  lastName: '',
  taxCode: '',
  email: '',
  mobile: '',
  street: '',
  streetNumber: '',
  postcode: '',
  town: '',
  province: '',
  country: 'IT',
  iban: '',
  ibanHolder: '',
  delegates: [] as Delegate[],
};

let delegateKey = 1;

function fromPayer(p: Payer): typeof EMPTY {
  return {
    firstName: p.firstName,
    lastName: p.lastName,
    taxCode: p.taxCode,
    email: p.email,
    mobile: p.mobile,
    street: p.street,
    streetNumber: p.streetNumber,
    postcode: p.postcode,
    town: p.town,
    province: p.province,
    country: p.country,
    iban: p.iban ? formatIbanText(p.iban) : '',
    ibanHolder: p.ibanHolder ?? '',
    delegates: p.delegates.map((d) => ({ key: delegateKey++, firstName: d.firstName, lastName: d.lastName, taxCode: d.taxCode })),
  };
}

/** Create or edit a payer: structured address (SEPA), bank account for SDD, delegates (F2). */
export function PayerForm({ payerId, onClose, onSaved }: { payerId: number | null; onClose: () => void; onSaved: (p: Payer) => void }) {
  const form = useForm(EMPTY);
  const [loading, setLoading] = useState(payerId !== null);
  const [busy, setBusy] = useState(false);
  const [id, setId] = useState<number | null>(payerId);
  // issue 14: the version loaded, sent back with the save
  const [version, setVersion] = useState(0);
  const load = (p: Payer) => {
    setVersion(p.version);
    form.reset(fromPayer(p));
  };
  /** «Ricarica» after a conflict: the payer as saved now, replacing what was typed */
  const reload = () => {
    if (id) call('payers.get', { id }).then(load).catch((err) => notifyError(err));
  };

  useEffect(() => {
    if (payerId === null) return;
    call('payers.get', { id: payerId })
      .then(load)
      .catch((err) => {
        notifyError(err);
        onClose();
      })
      .finally(() => setLoading(false));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [payerId]);

  const v = form.values;
  const setDelegate = (i: number, patch: Partial<Delegate>) => {
    form.set(
      'delegates',
      v.delegates.map((d, j) => (j === i ? { ...d, ...patch } : d)),
    );
    const field = Object.keys(patch)[0];
    if (field && form.errors[`delegates.${i}.${field}`]) {
      const { [`delegates.${i}.${field}`]: _gone, ...rest } = form.errors;
      form.setErrors(rest);
    }
  };

  async function save() {
    const input = {
      firstName: v.firstName,
      lastName: v.lastName,
      taxCode: v.taxCode,
      email: v.email,
      mobile: v.mobile,
      street: v.street,
      streetNumber: v.streetNumber,
      postcode: v.postcode,
      town: v.town,
      province: v.province,
      country: v.country || 'IT',
      iban: v.iban.trim() ? v.iban : null,
      ibanHolder: v.ibanHolder.trim() ? v.ibanHolder : null,
      delegates: v.delegates.map(({ firstName, lastName, taxCode }) => ({ firstName, lastName, taxCode })),
    };
    setBusy(true);
    try {
      const p = id ? await call('payers.update', { id, version, ...input }) : await call('payers.create', input);
      setId(p.id);
      load(p);
      notifySuccess(`${p.lastName} ${p.firstName} salvato`, id ? 'Pagante aggiornato' : 'Pagante registrato');
      onSaved(p);
      onClose();
    } catch (err) {
      form.showError(err);
    } finally {
      setBusy(false);
    }
  }

  const txt = (key: Exclude<keyof typeof EMPTY, 'delegates'>, label: string, extra: Record<string, unknown> = {}) => (
    <TextInput label={label} value={v[key]} onChange={(e) => form.set(key, e.currentTarget.value)} error={form.errors[key]} {...extra} />
  );

  return (
    <FormModal dirty={form.dirty} onClose={onClose} title={id ? `${v.lastName} ${v.firstName}` : 'Nuovo pagante'} size="xl" conflict={conflictOf(form.conflict, reload)}>
      {loading ? (
        <ModalLoading />
      ) : (
        <ModalForm onSubmit={save} gap="sm">
            <Grid gutter="sm">
              <Grid.Col span={4}>{txt('lastName', 'Cognome', { withAsterisk: true, 'data-autofocus': true })}</Grid.Col>
              <Grid.Col span={4}>{txt('firstName', 'Nome', { withAsterisk: true })}</Grid.Col>
              <Grid.Col span={4}>
                <CodeField label="Codice fiscale" withAsterisk maxLength={16} value={v.taxCode} onValue={(x) => form.set('taxCode', x)} error={form.errors.taxCode} />
              </Grid.Col>
              <Grid.Col span={6}>{txt('email', 'E-mail', { withAsterisk: true, type: 'email' })}</Grid.Col>
              <Grid.Col span={6}>{txt('mobile', 'Cellulare', { withAsterisk: true, placeholder: 'es. 3471234567' })}</Grid.Col>
            </Grid>
            <Divider label="Indirizzo di residenza" labelPosition="left" />
            <Grid gutter="sm">
              <Grid.Col span={7}>{txt('street', 'Via / piazza')}</Grid.Col>
              <Grid.Col span={2}>{txt('streetNumber', 'Civico')}</Grid.Col>
              <Grid.Col span={3}>{txt('postcode', 'CAP', { maxLength: 5 })}</Grid.Col>
              <Grid.Col span={6}>{txt('town', 'Comune')}</Grid.Col>
              <Grid.Col span={3}>{txt('province', 'Provincia', { maxLength: 2, placeholder: 'es. BG' })}</Grid.Col>
              <Grid.Col span={3}>{txt('country', 'Nazione', { maxLength: 2 })}</Grid.Col>
            </Grid>
            <Divider label="Conto per l'addebito diretto (SDD)" labelPosition="left" />
            <Grid gutter="sm">
              <Grid.Col span={7}>
                <CodeField label="IBAN" placeholder="IT60 X054 2811 1010 0000 0123 456" value={v.iban} onValue={(x) => form.set('iban', x)} error={form.errors.iban} />
              </Grid.Col>
              <Grid.Col span={5}>{txt('ibanHolder', 'Intestatario del conto')}</Grid.Col>
            </Grid>
            {id && (
              <Group gap="xs">
                <Button
                  variant="subtle"
                  size="xs"
                  leftSection={<IconSignature size={14} />}
                  onClick={() => {
                    onClose();
                    openPayerMandates({ value: String(id), label: `${v.lastName} ${v.firstName} · ${v.taxCode}` });
                  }}
                >
                  Mandato SDD
                </Button>
                <Text size="xs" c="dimmed">
                  Con un mandato attivo IBAN e intestatario si cambiano dal mandato
                </Text>
              </Group>
            )}
            <Divider label="Delegati (accedono al portale, non ricevono e-mail né SMS)" labelPosition="left" />
            {v.delegates.length === 0 && (
              <Text size="sm" c="dimmed">
                Nessun delegato.
              </Text>
            )}
            {v.delegates.length > 0 && (
              <Grid gutter="sm" mb={-10}>
                <Grid.Col span={4}>
                  <Text size="xs" c="dimmed">
                    Cognome
                  </Text>
                </Grid.Col>
                <Grid.Col span={3}>
                  <Text size="xs" c="dimmed">
                    Nome
                  </Text>
                </Grid.Col>
                <Grid.Col span={4}>
                  <Text size="xs" c="dimmed">
                    Codice fiscale
                  </Text>
                </Grid.Col>
              </Grid>
            )}
            {v.delegates.map((d, i) => (
              <Grid gutter="sm" key={d.key} align="flex-start" data-testid={`delegate-${i}`}>
                <Grid.Col span={4}>
                  <TextInput aria-label={`Cognome delegato ${i + 1}`} placeholder="Cognome" value={d.lastName} onChange={(e) => setDelegate(i, { lastName: e.currentTarget.value })} error={form.errors[`delegates.${i}.lastName`]} />
                </Grid.Col>
                <Grid.Col span={3}>
                  <TextInput aria-label={`Nome delegato ${i + 1}`} placeholder="Nome" value={d.firstName} onChange={(e) => setDelegate(i, { firstName: e.currentTarget.value })} error={form.errors[`delegates.${i}.firstName`]} />
                </Grid.Col>
                <Grid.Col span={4}>
                  <CodeField aria-label={`Codice fiscale delegato ${i + 1}`} placeholder="Codice fiscale" maxLength={16} value={d.taxCode} onValue={(x) => setDelegate(i, { taxCode: x })} error={form.errors[`delegates.${i}.taxCode`]} />
                </Grid.Col>
                <Grid.Col span={1}>
                  <Tooltip label="Togli il delegato">
                    <ActionIcon variant="subtle" color="red" mt={4} aria-label={`Togli delegato ${i + 1}`} onClick={() => form.set('delegates', v.delegates.filter((_, j) => j !== i))}>
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Tooltip>
                </Grid.Col>
              </Grid>
            ))}
            {form.errors.delegates && (
              <Text size="sm" c="red">
                {form.errors.delegates}
              </Text>
            )}
            <Group>
              <Button
                variant="light"
                size="xs"
                leftSection={<IconPlus size={14} />}
                disabled={v.delegates.length >= 10}
                onClick={() => form.set('delegates', [...v.delegates, { key: delegateKey++, firstName: '', lastName: '', taxCode: '' }])}
              >
                Aggiungi delegato
              </Button>
            </Group>
            <Group justify="flex-end" mt="xs">
              {id && (
                <Button
                  variant="light"
                  leftSection={<IconReportMoney size={14} />}
                  onClick={() => {
                    onClose();
                    openDebtFamily({ payerId: id, label: `${v.lastName} ${v.firstName} · ${v.taxCode}` });
                  }}
                >
                  Morosità
                </Button>
              )}
              {id && (
                <Button
                  variant="light"
                  mr="auto"
                  leftSection={<IconFileInvoice size={14} />}
                  onClick={() => {
                    rememberPayer({ value: String(id), label: `${v.lastName} ${v.firstName} · ${v.taxCode}` });
                    onClose();
                    navigate('/estratto-conto');
                  }}
                >
                  Estratto conto della famiglia
                </Button>
              )}
              <Button variant="default" onClick={onClose}>
                Annulla
              </Button>
              <Button type="submit" loading={busy}>
                {id ? 'Salva modifiche' : 'Registra pagante'}
              </Button>
            </Group>
        </ModalForm>
      )}
    </FormModal>
  );
}
