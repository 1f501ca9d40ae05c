import { useState, type ReactNode } from 'react';
import { Alert, Badge, Button, Group, List, SimpleGrid, Stack, Text, Textarea } from '@mantine/core';
import { IconAlertTriangle, IconPencil, IconPlayerPause, IconPlayerPlay, IconUserMinus } from '@tabler/icons-react';
import { navigate } from '../app/router';
import { call } from '../api/client';
import { notifyError, notifySuccess } from '../api/hooks';
import { DateField } from '../components/fields';
import { given, useForm } from '../components/form';
import { formatDate, formatWeekdays } from '../format/dates';
import { romeToday } from '../master-data/lookups';
import { useSession } from '../auth/session';
import { useDrawerRecord } from '../components/use-drawer-record';
import { ModalLoading } from '../components/modal-form';
import { EnrollmentForm } from './enrollment-form';
import { PAYMENT_LABEL, STATUS_COLOR, STATUS_LABEL } from './labels';
import { FormModal, FormDrawer } from '../components/form-dialog';
import { agree } from '../format/words';
import { pupilSex } from '../components/people-search';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm">{children || '—'}</Text>
    </div>
  );
}

/** A date and a reason: suspension (supervisor) and withdrawal (E6) ask the same two things. */
function DateReasonModal({
  title,
  dateLabel,
  confirm,
  color,
  onSubmit,
  onClose,
}: {
  title: string;
  dateLabel: string;
  confirm: string;
  color: string;
  onSubmit: (date: string, reason: string) => Promise<void>;
  onClose: () => void;
}) {
  const form = useForm({ date: romeToday() as string | null, reason: '' });
  const [busy, setBusy] = useState(false);
  return (
    <FormModal dirty={form.dirty} onClose={onClose} title={title} centered>
      <form noValidate
        onSubmit={(e) => void (async () => {
          e.preventDefault();
          setBusy(true);
          try {
            await onSubmit(given(form.values.date), form.values.reason);
            onClose();
          } catch (err) {
            // the procedures name the field 'from' (suspension) or 'date' (withdrawal)
            form.showError(err, { from: 'date' });
          } finally {
            setBusy(false);
          }
        })()}
      >
        <Stack>
          <DateField label={dateLabel} withAsterisk value={form.values.date} onChange={(v) => form.set('date', v)} error={form.errors.date} />
          <Textarea label="Motivo" withAsterisk autosize minRows={2} value={form.values.reason} onChange={(e) => form.set('reason', e.currentTarget.value)} error={form.errors.reason} data-autofocus />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Annulla
            </Button>
            <Button type="submit" color={color} loading={busy}>
              {confirm}
            </Button>
          </Group>
        </Stack>
      </form>
    </FormModal>
  );
}

/** One enrollment: its data, what is missing to activate it, and the actions its status allows. */
export function EnrollmentDrawer({ id, onClose, onChanged }: { id: number; onClose: () => void; onChanged: () => void }) {
  const session = useSession();
  const { record: e, changed } = useDrawerRecord('enrollments.get', id, onClose, onChanged);
  const [dialog, setDialog] = useState<'edit' | 'withdraw' | null>(null);
  const [activating, setActivating] = useState(false);

  async function activate() {
    setActivating(true);
    try {
      const out = await call('enrollments.activate', { id });
      notifySuccess(`Iscrizione di ${out.pupilName} attiva`);
      await changed();
    } catch (err) {
      notifyError(err, 'Iscrizione non attivata');
    } finally {
      setActivating(false);
    }
  }

  return (
    <>
      <FormDrawer opened={dialog !== 'edit'} dirty={false} onClose={onClose} position="right" size="lg" title="Iscrizione">
        {!e ? (
          <ModalLoading />
        ) : (
          <Stack data-testid="enrollment-detail">
            <Group justify="space-between">
              <div>
                <Text fw={700} fz="lg">
                  {e.pupilName}
                </Text>
                <Text size="sm" c="dimmed">
                  {e.pupilTaxCode} · codice utente {e.userCode}
                </Text>
              </div>
              <Badge size="lg" variant="light" color={STATUS_COLOR[e.status]} data-testid="enrollment-status">
                {STATUS_LABEL[e.status]}
              </Badge>
            </Group>
            <SimpleGrid cols={2} spacing="sm" verticalSpacing="sm">
              <Field label="Anno scolastico">{e.schoolYearLabel}</Field>
              <Field label="Pagante">{e.payerName}</Field>
              <Field label="Comune">{e.municipalityName}</Field>
              <Field label="Scuola e classe">
                {e.schoolName}
                {e.className ? ` · ${e.className}` : ''}
              </Field>
              <Field label="Giorni di fruizione">{formatWeekdays(e.weekdays)}</Field>
              <Field label="Pagamento">{PAYMENT_LABEL[e.paymentMethod]}</Field>
              <Field label="Inizio del servizio">{formatDate(e.startsOn)}</Field>
              <Field label="Attivata il">{formatDate(e.activatedOn)}</Field>
              {e.suspendedOn && <Field label="Sospesa dal">{formatDate(e.suspendedOn)}</Field>}
              {e.withdrawnOn && <Field label="Ritirata dal">{formatDate(e.withdrawnOn)}</Field>}
              {e.withdrawalReason && <Field label="Motivo del ritiro">{e.withdrawalReason}</Field>}
              {e.renewedFromId && <Field label="Origine">Rinnovo dell'anno precedente</Field>}
            </SimpleGrid>
            {e.notes && <Field label="Note">{e.notes.split('\n').map((l, i) => <span key={i}>{l}<br /></span>)}</Field>}
            {e.activationIssues.length > 0 && (
              <Alert color="yellow" icon={<IconAlertTriangle />} title="Per attivare l'iscrizione manca:">
                <List size="sm">
                  {e.activationIssues.map((i) => (
                    <List.Item key={i.message}>{i.message}</List.Item>
                  ))}
                </List>
              </Alert>
            )}
            {e.status === 'sospesa' && (
              // D2: a suspension is a supervisor's recorded decision, decided and lifted from its own page
              <Alert color="orange" icon={<IconPlayerPause />} title="Servizio sospeso">
                <Text size="sm">La sospensione si decide e si revoca dalla pagina Sospensioni (supervisore), con la diffida che segue.</Text>
                {session.can('supervisore') && (
                  <Button mt="xs" size="xs" variant="light" color="orange" onClick={() => navigate('/sospensioni')}>
                    Vai a Sospensioni
                  </Button>
                )}
              </Alert>
            )}
            <Group gap="xs">
              {e.status === 'bozza' && (
                <Button leftSection={<IconPlayerPlay size={16} />} color="green" loading={activating} onClick={() => void activate()}>
                  Attiva
                </Button>
              )}
              {e.status !== 'ritirata' && (
                <Button variant="default" leftSection={<IconPencil size={16} />} onClick={() => setDialog('edit')}>
                  Modifica
                </Button>
              )}
              {e.status !== 'ritirata' && (
                <Button variant="light" color="red" leftSection={<IconUserMinus size={16} />} onClick={() => setDialog('withdraw')}>
                  Ritira
                </Button>
              )}
            </Group>
          </Stack>
        )}
      </FormDrawer>
      {e && dialog === 'edit' && <EnrollmentForm enrollment={e} onClose={() => setDialog(null)} onSaved={() => void changed()} />}
      {e && dialog === 'withdraw' && (
        <DateReasonModal
          title={`Ritiro dal servizio di ${e.pupilName}`}
          dateLabel="Data del ritiro (da quel giorno nessun pasto è prenotato)"
          confirm="Ritira"
          color="red"
          onClose={() => setDialog(null)}
          onSubmit={async (date, reason) => {
            await call('enrollments.withdraw', { id, date, reason });
            notifySuccess(`${e.pupilName} ${agree(pupilSex(e.pupilTaxCode), 'ritirato')} dal servizio`);
            await changed();
          }}
        />
      )}
    </>
  );
}
