import { useEffect, useState } from 'react';
import { Alert, Button, Grid, Group, Text, TextInput, Textarea } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { ApiError, call, type ProcOutput } from '../api/client';
import { notifySuccess } from '../api/hooks';
import { CodeField, DateField } from '../components/fields';
import { given, givenId, useForm } from '../components/form';
import { ModalForm } from '../components/modal-form';
import { RemoteSelect, type RemoteOption } from '../components/remote-select';
import { searchPayers } from '../enrollments/enrollment-form';
import { romeToday } from '../master-data/lookups';
import { formatIbanText } from '../payers/iban';
import { FormModal } from '../components/form-dialog';

export type Mandate = ProcOutput<'sdd.mandates.get'>;

/** Today in Rome for a date box the operator may also empty (the backend then asks for the date). */
export function todayOrNone(): string | null {
  return romeToday();
}

/** IBAN box in groups of four as the operator types (the backend takes it with or without spaces). */
export function IbanField({ value, onChange, error, label = 'IBAN' }: { value: string; onChange: (v: string) => void; error?: string; label?: string }) {
  return <CodeField label={label} withAsterisk placeholder="IT60 X054 2811 1010 0000 0123 456" maxLength={42} value={value} onValue={(x) => onChange(formatIbanText(x))} error={error} />;
}

export function BicField({ value, onChange, error }: { value: string; onChange: (v: string) => void; error?: string }) {
  return <CodeField label="BIC della banca" description="Obbligatorio per conti fuori dallo Spazio economico europeo (San Marino, Svizzera, Monaco, Regno Unito…)" maxLength={11} value={value} onValue={onChange} error={error} />;
}

/**
 * A signed mandate (P5): payer, account, holder, signature date. The mandate code is generated when
 * left blank. If the payer already has an active mandate the backend says so, and the operator may
 * replace it (the old one is revoked in the same operation).
 */
export function MandateForm({ payer, onClose, onSaved }: { payer: RemoteOption | null; onClose: () => void; onSaved: (m: Mandate) => void }) {
  const form = useForm({
    payer,
    umr: '',
    iban: '',
    bic: '',
    holderName: '',
    holderTaxCode: '',
    signedOn: todayOrNone(),
    notes: '',
  });
  const [busy, setBusy] = useState(false);
  const [activeConflict, setActiveConflict] = useState<string | null>(null);
  const v = form.values;

  // the payer's own account and name as a starting point: the holder may be someone else
  useEffect(() => {
    setActiveConflict(null);
    if (!v.payer) return;
    let live = true;
    call('payers.get', { id: Number(v.payer.value) })
      .then((p) => {
        if (!live) return;
        form.setValues((cur) => ({
          ...cur,
          iban: cur.iban || (p.iban ? formatIbanText(p.iban) : ''),
          holderName: cur.holderName || (p.ibanHolder ?? `${p.firstName} ${p.lastName}`),
          holderTaxCode: cur.holderTaxCode || p.taxCode,
        }));
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [v.payer?.value]);

  async function save(replace: boolean) {
    setBusy(true);
    try {
      const out = await call('sdd.mandates.create', {
        payerId: givenId(v.payer?.value),
        umr: v.umr,
        iban: v.iban,
        bic: v.bic,
        holderName: v.holderName,
        holderTaxCode: v.holderTaxCode,
        signedOn: given(v.signedOn),
        notes: v.notes,
        replace,
      });
      notifySuccess(
        out.replaced ? `Mandato ${out.mandate.umr} registrato; il mandato ${out.replaced.umr} è revocato` : `Mandato ${out.mandate.umr} registrato per ${out.mandate.payerName}`,
        'Mandato SDD',
      );
      onSaved(out.mandate);
      onClose();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'CONFLICT' && err.issues.some((i) => i.path[0] === 'replace')) {
        setActiveConflict(err.message);
        return;
      }
      form.showError(err, { payerId: 'payer' });
    } finally {
      setBusy(false);
    }
  }

  return (
    <FormModal dirty={form.dirty} onClose={onClose} title="Nuovo mandato SDD" size="xl">
      <ModalForm onSubmit={() => save(false)} gap="sm">
        <RemoteSelect label="Pagante" withAsterisk placeholder="Cercare il pagante" value={v.payer} onChange={(p) => form.set('payer', p)} search={searchPayers} error={form.errors.payer} data-autofocus={payer === null} />
        <Grid gutter="sm">
          <Grid.Col span={7}>
            <IbanField value={v.iban} onChange={(x) => form.set('iban', x)} error={form.errors.iban} />
          </Grid.Col>
          <Grid.Col span={5}>
            <BicField value={v.bic} onChange={(x) => form.set('bic', x)} error={form.errors.bic} />
          </Grid.Col>
          <Grid.Col span={7}>
            <TextInput label="Intestatario del conto" withAsterisk maxLength={70} value={v.holderName} onChange={(e) => form.set('holderName', e.currentTarget.value)} error={form.errors.holderName} />
          </Grid.Col>
          <Grid.Col span={5}>
            <CodeField label="Codice fiscale dell'intestatario" withAsterisk maxLength={16} value={v.holderTaxCode} onValue={(x) => form.set('holderTaxCode', x)} error={form.errors.holderTaxCode} />
          </Grid.Col>
          <Grid.Col span={7}>
            <CodeField label="Codice mandato" description="Vuoto: generato dal programma (RM + numero del pagante)" maxLength={35} value={v.umr} onValue={(x) => form.set('umr', x)} error={form.errors.umr} />
          </Grid.Col>
          <Grid.Col span={5}>
            <DateField label="Data di firma" withAsterisk value={v.signedOn} onChange={(x) => form.set('signedOn', x)} error={form.errors.signedOn} />
          </Grid.Col>
        </Grid>
        <Textarea label="Note" autosize minRows={2} value={v.notes} onChange={(e) => form.set('notes', e.currentTarget.value)} error={form.errors.notes} />
        <Text size="xs" c="dimmed">
          L'intestatario può essere diverso dal pagante. Un nuovo conto dello stesso intestatario è una modifica del mandato attivo, non un nuovo mandato.
        </Text>
        {activeConflict && (
          <Alert color="orange" icon={<IconAlertTriangle />} title="Il pagante ha già un mandato attivo" data-testid="mandate-conflict">
            <Text size="sm" mb="xs">
              {activeConflict}
            </Text>
            <Button color="orange" size="xs" loading={busy} onClick={() => void save(true)}>
              Revoca il mandato attivo e registra questo
            </Button>
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Annulla
          </Button>
          <Button type="submit" loading={busy}>
            Registra mandato
          </Button>
        </Group>
      </ModalForm>
    </FormModal>
  );
}
