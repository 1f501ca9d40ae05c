import { useEffect, useState } from 'react';
import { Alert, Badge, Checkbox, Group, List, SegmentedControl, Stack, Text, Textarea } from '@mantine/core';
import { IconAlertTriangle, IconMailCheck } from '@tabler/icons-react';
import { call, type ProcOutput } from '../api/client';
import { notifySuccess, useQuery } from '../api/hooks';
import { DateField } from '../components/fields';
import { errorFor, given, useForm } from '../components/form';
import { FormModalFooter, ModalForm } from '../components/modal-form';
import { useBusyAction } from '../components/use-busy-action';
import { formatDate } from '../format/dates';
import { formatCents } from '../format/money';
import { romeToday } from '../master-data/lookups';
import { plural } from './labels';
import { FormModal } from '../components/form-dialog';

export type Suspension = ProcOutput<'debts.suspensions.list'>[number];
export type SuspensionCheck = ProcOutput<'debts.suspensions.check'>;
type Notice = SuspensionCheck['notices'][number];

export const LIFT_REASON_LABEL = { pagamento: 'Pagamento del debito', piano: 'Piano di rientro concordato', decisione: "Decisione dell'ufficio" } as const;
export type LiftReason = keyof typeof LIFT_REASON_LABEL;
export const SUSPENSION_STATUS_LABEL = { programmata: 'Programmata', in_corso: 'In corso', revocata: 'Revocata' } as const;
export const SUSPENSION_STATUS_COLOR = { programmata: 'yellow', in_corso: 'orange', revocata: 'gray' } as const;

/** "Diffida e messa in mora, raccomandata A/R consegnata il 05/10/2026 (ricevuta RR 123)" */
export function noticeText(n: Notice): string {
  const delivered = n.deliveredOn ? `consegnata il ${formatDate(n.deliveredOn)}${n.receiptNumber ? ` (ricevuta ${n.receiptNumber})` : ''}` : 'in attesa della prova di consegna';
  return `${n.stepName} del ${formatDate(n.reachedOn)}, ${n.channelLabel.toLowerCase()} ${delivered}`;
}

/**
 * "Sospendi il servizio" (D2, supervisor): the pupils to suspend, the start date, the notice the
 * suspension follows and the reason. The backend's check runs at every change of the date: the
 * reasons why it cannot be done are shown under the fields, in its own words.
 */
export function SuspensionDialog({ payerId, municipalityId, onClose, onSaved }: { payerId: number; municipalityId: number; onClose: () => void; onSaved: () => void }) {
  const today = romeToday();
  const form = useForm({ startsOn: null as string | null, pupilIds: [] as number[], reason: '' });
  const { busy, run } = useBusyAction((err) => form.showError(err));
  const v = form.values;
  const probeDate = v.startsOn ?? today;
  const check = useQuery('debts.suspensions.check', { payerId, municipalityId, startsOn: probeDate });
  const c = check.data;
  // first opening: propose the first possible date and every pupil that can be suspended
  useEffect(() => {
    if (c && v.startsOn === null) {
      // the proposal is the starting point, not something the user typed
      form.reset({ ...v, startsOn: c.earliestStart ?? today, pupilIds: c.pupils.filter((p) => p.problem === null).map((p) => p.pupilId) });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the first answer arrives
  }, [c]);

  const save = () =>
    run(async () => {
      const rows = await call('debts.suspensions.create', { payerId, municipalityId, pupilIds: v.pupilIds, startsOn: given(v.startsOn), reason: v.reason });
      notifySuccess(`Dal ${formatDate(rows[0].startsOn)} nessun pasto è prenotato per ${plural(rows.length, 'alunno', 'alunni')}: ${rows.map((r) => r.pupilName).join(', ')}`, 'Servizio sospeso');
      onSaved();
    });

  const fieldProblems = (key: string) => (c && v.startsOn !== null ? c.problems.filter((p) => p.path[0] === key).map((p) => p.message) : []);
  const dateProblems = fieldProblems('startsOn');
  const familyProblems = c && v.startsOn !== null ? c.problems.filter((p) => !['startsOn', 'pupilIds'].includes(String(p.path[0]))).map((p) => p.message) : [];

  return (
    <FormModal dirty={form.dirty} onClose={onClose} title={`Sospensione del servizio${c ? ` · ${c.payerName}` : ''}`} size="lg">
      <ModalForm onSubmit={save}>
        {c && (
          <Text size="sm">
            Comune di {c.municipalityName} · debito di oggi <b>{formatCents(c.owedCents)}</b>. Dalla data di inizio nessun pasto è prenotato per gli alunni scelti; la cucina e la scuola vedono solo che
            non c&apos;è il pasto.
          </Text>
        )}
        {familyProblems.length > 0 && (
          <Alert color="red" icon={<IconAlertTriangle />} title="La famiglia non può essere sospesa" data-testid="suspension-refusal">
            <List size="sm">
              {familyProblems.map((m) => (
                <List.Item key={m}>{m}</List.Item>
              ))}
            </List>
          </Alert>
        )}
        {c?.notice ? (
          <Alert color="blue" variant="light" icon={<IconMailCheck />} title="Diffida che la sospensione segue" data-testid="suspension-notice">
            <Text size="sm">{noticeText(c.notice)}</Text>
            <Text size="xs" c="dimmed">
              {c.notice.daysToPay === 1 ? '1 giorno' : `${c.notice.daysToPay} giorni`} per pagare: la sospensione può iniziare dal {formatDate(c.notice.suspendableFrom)}
            </Text>
          </Alert>
        ) : (
          c &&
          c.notices.length > 0 && (
            <Text size="sm" c="dimmed">
              Diffide del debito in corso: {c.notices.map(noticeText).join('; ')}
            </Text>
          )
        )}
        <DateField
          label="Inizio della sospensione (primo giorno senza pasto)"
          withAsterisk
          value={v.startsOn}
          onChange={(d) => form.set('startsOn', d)}
          minDate={today}
          error={errorFor(form.errors, 'startsOn') ?? (dateProblems.length ? dateProblems.join('; ') : undefined)}
          w={360}
          data-testid="suspension-start"
        />
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            Alunni
          </Text>
          {c?.pupils.map((p) => (
            <Checkbox
              key={p.pupilId}
              label={
                <Group gap={6}>
                  <span>{p.pupilName}</span>
                  <Text span size="xs" c="dimmed">
                    {p.schoolName}
                    {p.className ? ` · ${p.className}` : ''}
                  </Text>
                  {p.problem && (
                    <Badge size="xs" color="gray" variant="light">
                      {p.problem}
                    </Badge>
                  )}
                </Group>
              }
              disabled={p.problem !== null}
              checked={v.pupilIds.includes(p.pupilId)}
              onChange={(e) => form.set('pupilIds', e.currentTarget.checked ? [...v.pupilIds, p.pupilId] : v.pupilIds.filter((x) => x !== p.pupilId))}
            />
          ))}
          {(errorFor(form.errors, 'pupilIds') ?? fieldProblems('pupilIds')[0]) && (
            <Text size="xs" c="red">
              {errorFor(form.errors, 'pupilIds') ?? fieldProblems('pupilIds')[0]}
            </Text>
          )}
        </Stack>
        <Textarea
          label="Motivo della decisione"
          withAsterisk
          autosize
          minRows={2}
          maxLength={1000}
          value={v.reason}
          onChange={(e) => form.set('reason', e.currentTarget.value)}
          error={form.errors.reason}
          placeholder="Es. debito non saldato dopo la diffida consegnata; sentito il comune"
        />
        <FormModalFooter onCancel={onClose} busy={busy || check.loading} submitLabel="Sospendi il servizio" />
      </ModalForm>
    </FormModal>
  );
}

/** "Revoca sospensione" (supervisor): from the date given meals are booked again; why (payment, plan, decision). */
export function LiftDialog({ suspensions, onClose, onSaved }: { suspensions: Suspension[]; onClose: () => void; onSaved: () => void }) {
  const today = romeToday();
  // empty: the first possible day (today before the cutoff, else tomorrow; not before the start)
  const form = useForm({ liftedOn: null as string | null, reason: 'pagamento' as LiftReason, note: '' });
  const { busy, run } = useBusyAction((err) => form.showError(err));
  const [names] = useState(() => suspensions.map((s) => s.pupilName).join(', '));
  const v = form.values;
  const save = () =>
    run(async () => {
      const rows = await call('debts.suspensions.lift', { suspensionIds: suspensions.map((s) => s.id), liftedOn: v.liftedOn ?? undefined, reason: v.reason, note: v.note });
      notifySuccess(`Dal ${formatDate(rows[0].liftedOn)} i pasti di ${names} sono di nuovo prenotati`, 'Sospensione revocata');
      onSaved();
    });
  return (
    <FormModal dirty={form.dirty} onClose={onClose} title={`Revoca della sospensione · ${names}`} size="md">
      <ModalForm onSubmit={save}>
        <Text size="sm">Dalla data indicata i pasti tornano prenotati. La sospensione resta nella storia della famiglia con la data e il motivo della revoca.</Text>
        <DateField
          label="Pasti di nuovo prenotati dal"
          description="Vuoto: dal primo giorno possibile (oggi prima dell'orario limite, altrimenti domani)"
          value={v.liftedOn}
          onChange={(d) => form.set('liftedOn', d)}
          minDate={today}
          error={form.errors.liftedOn ?? form.errors.suspensionIds}
          w={360}
          data-testid="lift-date"
        />
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            Motivo della revoca
          </Text>
          <SegmentedControl
            value={v.reason}
            onChange={(x) => form.set('reason', x as LiftReason)}
            data={(Object.keys(LIFT_REASON_LABEL) as LiftReason[]).map((value) => ({ value, label: LIFT_REASON_LABEL[value] }))}
          />
        </Stack>
        <Textarea label="Nota" autosize minRows={1} maxLength={1000} value={v.note} onChange={(e) => form.set('note', e.currentTarget.value)} placeholder="Es. bonifico del 15/10, CRO …" />
        <FormModalFooter onCancel={onClose} busy={busy} submitLabel="Revoca la sospensione" />
      </ModalForm>
    </FormModal>
  );
}
