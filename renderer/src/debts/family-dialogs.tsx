import { ActionIcon, Button, Group, Table, Text, TextInput, Textarea } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { call } from '../api/client';
import { notifySuccess } from '../api/hooks';
import { DateField, MoneyField } from '../components/fields';
import { errorFor, given, useForm } from '../components/form';
import { FormModalFooter, ModalForm } from '../components/modal-form';
import { useBusyAction } from '../components/use-busy-action';
import { addMonthsIso } from './dates';
import { formatCents, parseEuroToCents } from '../format/money';
import { romeToday } from '../master-data/lookups';
import { plural } from './labels';
import { FormModal } from '../components/form-dialog';

interface Who {
  payerId: number;
  payerName: string;
  municipalityId: number;
  municipalityName: string;
  owedCents: number;
}

let instalmentKey = 0;
interface InstalmentRow {
  key: number;
  dueOn: string | null;
  amount: string;
}

/** Splits a debt in `n` monthly instalments from `first`: equal cents, the rest on the last one. */
function splitInstalments(owedCents: number, n: number, first: string): InstalmentRow[] {
  const each = Math.floor(owedCents / n);
  return Array.from({ length: n }, (_, i) => {
    const cents = i === n - 1 ? owedCents - each * (n - 1) : each;
    return { key: instalmentKey++, dueOn: addMonthsIso(first, i), amount: `${Math.trunc(cents / 100)},${String(cents % 100).padStart(2, '0')}` };
  });
}

/**
 * "Nuovo piano di rientro": the instalments agreed with the family (amount and due date each).
 * While the family pays them on time the procedure waits; a missed instalment resumes it.
 */
export function PlanDialog({ who, onClose, onSaved }: { who: Who; onClose: () => void; onSaved: () => void }) {
  const today = romeToday();
  const firstDue = addMonthsIso(today, 1);
  const form = useForm({ startsOn: today as string | null, note: '', instalments: splitInstalments(Math.max(who.owedCents, 100), 3, firstDue) });
  const { busy, run } = useBusyAction((err) => form.showError(err));
  const v = form.values;
  const cents = v.instalments.map((i) => parseEuroToCents(i.amount));
  const total = cents.reduce<number>((s, c) => s + (c ?? 0), 0);
  const setRow = (k: number, patch: Partial<InstalmentRow>) => form.set('instalments', v.instalments.map((r) => (r.key === k ? { ...r, ...patch } : r)));

  const save = () =>
    run(async () => {
      const bad = cents.findIndex((c) => c === null || c <= 0);
      if (bad >= 0) {
        form.setErrors({ [`instalments.${bad}.amountCents`]: 'Importo non valido: ad esempio 25,00' });
        return;
      }
      const plan = await call('debts.plans.create', {
        payerId: who.payerId,
        municipalityId: who.municipalityId,
        startsOn: given(v.startsOn),
        note: v.note,
        instalments: v.instalments.map((r, i) => ({ dueOn: given(r.dueOn), amountCents: cents[i]! })),
      });
      notifySuccess(`${plural(plan.instalments.length, 'rata', 'rate')} per ${formatCents(plan.totalCents)}: finché sono pagate in tempo la procedura resta ferma`, 'Piano di rientro registrato');
      onSaved();
    });

  return (
    <FormModal dirty={form.dirty} onClose={onClose} title={`Nuovo piano di rientro · ${who.payerName}`} size="lg">
      <ModalForm onSubmit={save}>
        <Text size="sm">
          Debito di oggi nel Comune di {who.municipalityName}: <b>{formatCents(who.owedCents)}</b>. Contano i pagamenti ricevuti dall&apos;inizio del piano: ogni rata è rispettata se entro la sua
          scadenza la famiglia ha pagato almeno la somma delle rate fino a quella.
        </Text>
        <Group align="flex-end">
          <DateField label="Inizio del piano" withAsterisk value={v.startsOn} onChange={(d) => form.set('startsOn', d)} error={form.errors.startsOn} w={170} />
          <Group gap={4}>
            {[2, 3, 4, 6].map((n) => (
              <Button key={n} size="xs" variant="default" onClick={() => form.set('instalments', splitInstalments(Math.max(who.owedCents, 100), n, firstDue))}>
                {n} rate mensili
              </Button>
            ))}
          </Group>
        </Group>
        <Table withTableBorder fz="sm" data-testid="plan-instalments">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={50}>Rata</Table.Th>
              <Table.Th>Scadenza</Table.Th>
              <Table.Th>Importo</Table.Th>
              <Table.Th w={40} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {v.instalments.map((r, i) => (
              <Table.Tr key={r.key}>
                <Table.Td>{i + 1}</Table.Td>
                <Table.Td>
                  <DateField aria-label={`Scadenza della rata ${i + 1}`} value={r.dueOn} onChange={(d) => setRow(r.key, { dueOn: d })} error={errorFor(form.errors, `instalments.${i}.dueOn`)} />
                </Table.Td>
                <Table.Td>
                  <MoneyField aria-label={`Importo della rata ${i + 1}`} value={r.amount} onChange={(e) => setRow(r.key, { amount: e.currentTarget.value })} error={errorFor(form.errors, `instalments.${i}.amountCents`)} />
                </Table.Td>
                <Table.Td>
                  <ActionIcon variant="subtle" color="red" aria-label={`Togli la rata ${i + 1}`} disabled={v.instalments.length === 1} onClick={() => form.set('instalments', v.instalments.filter((x) => x.key !== r.key))}>
                    <IconTrash size={16} />
                  </ActionIcon>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Group justify="space-between">
          <Button
            size="xs"
            variant="light"
            leftSection={<IconPlus size={14} />}
            disabled={v.instalments.length >= 60}
            onClick={() => {
              const last = v.instalments[v.instalments.length - 1]?.dueOn ?? firstDue;
              form.set('instalments', [...v.instalments, { key: instalmentKey++, dueOn: addMonthsIso(last, 1), amount: '' }]);
            }}
          >
            Aggiungi rata
          </Button>
          <Text size="sm" c={total !== who.owedCents ? 'orange.8' : undefined} data-testid="plan-total">
            Totale delle rate {formatCents(total)}
            {total !== who.owedCents ? ` (il debito di oggi è ${formatCents(who.owedCents)})` : ''}
          </Text>
        </Group>
        {errorFor(form.errors, 'instalments') && !Object.keys(form.errors).some((k) => k.startsWith('instalments.')) && (
          <Text size="sm" c="red">
            {errorFor(form.errors, 'instalments')}
          </Text>
        )}
        <Textarea label="Nota (accordi presi, chi ha parlato con la famiglia)" autosize minRows={1} maxLength={1000} value={v.note} onChange={(e) => form.set('note', e.currentTarget.value)} />
        <FormModalFooter onCancel={onClose} busy={busy} submitLabel="Registra il piano" />
      </ModalForm>
    </FormModal>
  );
}

/** "Segna come seguita dai servizi sociali" (supervisor): reason, social services' reference, from when. */
export function ExemptionGrantDialog({ who, onClose, onSaved }: { who: Pick<Who, 'payerId' | 'payerName'>; onClose: () => void; onSaved: () => void }) {
  const form = useForm({ reason: '', reference: '', startsOn: romeToday() as string | null });
  const { busy, run } = useBusyAction((err) => form.showError(err));
  const v = form.values;
  const save = () =>
    run(async () => {
      await call('debts.exemptions.grant', { payerId: who.payerId, reason: v.reason, reference: v.reference, startsOn: given(v.startsOn) });
      notifySuccess(`${who.payerName} è seguita dai servizi sociali: non potrà essere sospesa`, 'Esenzione registrata');
      onSaved();
    });
  return (
    <FormModal dirty={form.dirty} onClose={onClose} title={`Esenzione · ${who.payerName}`} size="lg">
      <ModalForm onSubmit={save}>
        <Text size="sm">
          Una famiglia seguita dai servizi sociali continua a ricevere i solleciti, ma il servizio non le può essere sospeso. L&apos;esenzione vale per tutti i comuni ed è nel registro.
        </Text>
        <Textarea label="Motivo" withAsterisk autosize minRows={2} maxLength={1000} value={v.reason} onChange={(e) => form.set('reason', e.currentTarget.value)} error={form.errors.reason} data-autofocus />
        <TextInput
          label="Riferimento dei servizi sociali"
          description="Protocollo della segnalazione, assistente sociale"
          withAsterisk
          maxLength={200}
          value={v.reference}
          onChange={(e) => form.set('reference', e.currentTarget.value)}
          error={form.errors.reference}
        />
        <DateField label="Dal" value={v.startsOn} onChange={(d) => form.set('startsOn', d)} error={form.errors.startsOn} w={170} />
        <FormModalFooter onCancel={onClose} busy={busy} submitLabel="Registra l'esenzione" />
      </ModalForm>
    </FormModal>
  );
}

/** "Chiudi l'esenzione" (supervisor): from when and why. */
export function ExemptionEndDialog({ exemptionId, payerName, onClose, onSaved }: { exemptionId: number; payerName: string; onClose: () => void; onSaved: () => void }) {
  const form = useForm({ reason: '', endedOn: romeToday() as string | null });
  const { busy, run } = useBusyAction((err) => form.showError(err));
  const v = form.values;
  const save = () =>
    run(async () => {
      await call('debts.exemptions.end', { exemptionId, endedOn: given(v.endedOn), reason: v.reason });
      notifySuccess(`L'esenzione di ${payerName} è chiusa`, 'Esenzione chiusa');
      onSaved();
    });
  return (
    <FormModal dirty={form.dirty} onClose={onClose} title={`Chiudi l'esenzione · ${payerName}`}>
      <ModalForm onSubmit={save}>
        <DateField label="Ultimo giorno" withAsterisk value={v.endedOn} onChange={(d) => form.set('endedOn', d)} error={form.errors.endedOn} w={170} />
        <Textarea label="Motivo" withAsterisk autosize minRows={2} maxLength={1000} value={v.reason} onChange={(e) => form.set('reason', e.currentTarget.value)} error={form.errors.reason} data-autofocus />
        <FormModalFooter onCancel={onClose} busy={busy} submitLabel="Chiudi l'esenzione" />
      </ModalForm>
    </FormModal>
  );
}
