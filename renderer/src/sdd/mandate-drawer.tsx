import { useEffect, useState, type ReactNode } from 'react';
import { Alert, Badge, Button, Group, SimpleGrid, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { IconAlertTriangle, IconBan, IconBuildingBank, IconUserEdit } from '@tabler/icons-react';
import { call } from '../api/client';
import { notifySuccess } from '../api/hooks';
import { CodeField, DateField } from '../components/fields';
import { given, useForm } from '../components/form';
import { ModalForm, FormModalFooter, ModalLoading } from '../components/modal-form';
import { useBusyAction } from '../components/use-busy-action';
import { useDrawerRecord } from '../components/use-drawer-record';
import { formatDate, formatMoment } from '../format/dates';
import { formatIbanText } from '../payers/iban';
import { BicField, IbanField, todayOrNone, type Mandate } from './mandate-form';
import { conflictOf, FormModal, FormDrawer } from '../components/form-dialog';

export const MANDATE_STATUS_LABEL: Record<Mandate['status'], string> = { attivo: 'Attivo', revocato: 'Revocato' };
export const MANDATE_STATUS_COLOR: Record<Mandate['status'], string> = { attivo: 'green', revocato: 'gray' };

const mono = { fontFamily: 'var(--mantine-font-family-monospace)' } as const;

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div">
        {children || '—'}
      </Text>
    </div>
  );
}

/** What the next collection tells the bank about the changed account (AmdmntInfDtls). */
function pendingText(p: NonNullable<Mandate['pendingAmendment']>): string {
  if (p.smnda) return 'conto in un’altra banca (SMNDA)';
  if (p.originalIban) return `IBAN originale ${formatIbanText(p.originalIban)} (stessa banca)`;
  return 'modifica del mandato';
}

type Dialog = 'iban' | 'holder' | 'revoke' | null;

/** A mandate change from a modal: `change` calls the procedure and returns the notice; then the drawer reloads and the modal closes (errors under the fields). */
function useMandateChange(showError: (err: unknown) => void, onDone: () => Promise<void>, onClose: () => void) {
  const { busy, run } = useBusyAction(showError);
  const submit = (change: () => Promise<string>) =>
    run(async () => {
      notifySuccess(await change(), 'Mandato SDD');
      await onDone();
      onClose();
    });
  return { busy, submit };
}

function AmendIbanModal({ m, onClose, onDone }: { m: Mandate; onClose: () => void; onDone: () => Promise<void> }) {
  const form = useForm({ iban: '', bic: m.bic, effectiveOn: todayOrNone(), reason: '' });
  const { busy, submit } = useMandateChange(form.showError, onDone, onClose);
  // issue 14: «Ricarica» reloads the mandate (the drawer's); a new version starts the form again from it
  const { reset } = form;
  useEffect(() => reset({ iban: '', bic: m.bic, effectiveOn: todayOrNone(), reason: '' }), [m.version, m.bic, reset]);
  return (
    <FormModal dirty={form.dirty} onClose={onClose} title={`Nuovo IBAN per il mandato ${m.umr}`} size="lg" conflict={conflictOf(form.conflict, () => void onDone())}>
      <ModalForm
        onSubmit={() =>
          submit(async () => {
            const out = await call('sdd.mandates.amendIban', { mandateId: m.id, version: m.version, iban: form.values.iban, bic: form.values.bic, effectiveOn: given(form.values.effectiveOn), reason: form.values.reason });
            return `IBAN del mandato ${out.umr} modificato: il prossimo addebito lo comunica alla banca`;
          })
        }
      >
        <Text size="sm">
          IBAN attuale: <span style={mono}>{formatIbanText(m.iban)}</span>. Stesso intestatario ({m.holderName}); per un altro intestatario serve un nuovo mandato.
        </Text>
        <IbanField label="Nuovo IBAN" value={form.values.iban} onChange={(x) => form.set('iban', x)} error={form.errors.iban} />
        <BicField value={form.values.bic} onChange={(x) => form.set('bic', x)} error={form.errors.bic} />
        <DateField label="In vigore dal" value={form.values.effectiveOn} onChange={(x) => form.set('effectiveOn', x)} error={form.errors.effectiveOn} />
        <Textarea label="Motivo" placeholder="es. rinnovo dell'iscrizione, cambio di banca" autosize minRows={2} value={form.values.reason} onChange={(e) => form.set('reason', e.currentTarget.value)} error={form.errors.reason} />
        <FormModalFooter onCancel={onClose} busy={busy} submitLabel="Registra la modifica" />
      </ModalForm>
    </FormModal>
  );
}

function AmendHolderModal({ m, onClose, onDone }: { m: Mandate; onClose: () => void; onDone: () => Promise<void> }) {
  const form = useForm({ holderName: m.holderName, holderTaxCode: m.holderTaxCode, effectiveOn: todayOrNone(), reason: '' });
  const { busy, submit } = useMandateChange(form.showError, onDone, onClose);
  // issue 14: «Ricarica» reloads the mandate (the drawer's); a new version starts the form again from it
  const { reset } = form;
  useEffect(() => reset({ holderName: m.holderName, holderTaxCode: m.holderTaxCode, effectiveOn: todayOrNone(), reason: '' }), [m.version, m.holderName, m.holderTaxCode, reset]);
  return (
    <FormModal dirty={form.dirty} onClose={onClose} title={`Intestatario del mandato ${m.umr}`} size="lg" conflict={conflictOf(form.conflict, () => void onDone())}>
      <ModalForm
        onSubmit={() =>
          submit(async () => {
            await call('sdd.mandates.amendHolder', { mandateId: m.id, version: m.version, holderName: form.values.holderName, holderTaxCode: form.values.holderTaxCode, effectiveOn: given(form.values.effectiveOn), reason: form.values.reason });
            return "Nome dell'intestatario corretto";
          })
        }
      >
        <Text size="sm">Correzione del nome della stessa persona. Se il conto passa a un'altra persona (altro codice fiscale) serve un nuovo mandato firmato da lei.</Text>
        <TextInput label="Intestatario del conto" withAsterisk maxLength={70} value={form.values.holderName} onChange={(e) => form.set('holderName', e.currentTarget.value)} error={form.errors.holderName} data-autofocus />
        <CodeField label="Codice fiscale dell'intestatario" maxLength={16} value={form.values.holderTaxCode} onValue={(x) => form.set('holderTaxCode', x)} error={form.errors.holderTaxCode} />
        <DateField label="In vigore dal" value={form.values.effectiveOn} onChange={(x) => form.set('effectiveOn', x)} error={form.errors.effectiveOn} />
        <Textarea label="Motivo" autosize minRows={2} value={form.values.reason} onChange={(e) => form.set('reason', e.currentTarget.value)} error={form.errors.reason} />
        <FormModalFooter onCancel={onClose} busy={busy} submitLabel="Registra la modifica" />
      </ModalForm>
    </FormModal>
  );
}

function RevokeModal({ m, onClose, onDone }: { m: Mandate; onClose: () => void; onDone: () => Promise<void> }) {
  const form = useForm({ revokedOn: todayOrNone(), reason: '' });
  const { busy, submit } = useMandateChange(form.showError, onDone, onClose);
  return (
    <FormModal dirty={form.dirty} onClose={onClose} title={`Revoca del mandato ${m.umr}`} centered>
      <ModalForm
        onSubmit={() =>
          submit(async () => {
            await call('sdd.mandates.revoke', { mandateId: m.id, revokedOn: given(form.values.revokedOn), reason: form.values.reason });
            return `Mandato ${m.umr} revocato: nessun addebito successivo`;
          })
        }
      >
        <DateField label="Revocato il" withAsterisk value={form.values.revokedOn} onChange={(x) => form.set('revokedOn', x)} error={form.errors.revokedOn} />
        <Textarea label="Motivo" withAsterisk autosize minRows={2} value={form.values.reason} onChange={(e) => form.set('reason', e.currentTarget.value)} error={form.errors.reason} data-autofocus />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Annulla
          </Button>
          <Button type="submit" color="red" loading={busy}>
            Revoca
          </Button>
        </Group>
      </ModalForm>
    </FormModal>
  );
}

/** One mandate: its data, the amendments (oldest first) and the actions of an active mandate. */
export function MandateDrawer({ id, onClose, onChanged }: { id: number; onClose: () => void; onChanged: () => void }) {
  const { record: m, changed: done } = useDrawerRecord('sdd.mandates.get', id, onClose, onChanged);
  const [dialog, setDialog] = useState<Dialog>(null);

  return (
    <>
      <FormDrawer opened={dialog === null} dirty={false} onClose={onClose} position="right" size="xl" title="Mandato SDD">
        {!m ? (
          <ModalLoading />
        ) : (
          <Stack data-testid="mandate-detail">
            <Group justify="space-between">
              <div>
                <Text fw={700} fz="lg" style={mono}>
                  {m.umr}
                </Text>
                <Text size="sm" c="dimmed">
                  {m.payerName} · {m.payerTaxCode}
                </Text>
              </div>
              <Badge size="lg" variant="light" color={MANDATE_STATUS_COLOR[m.status]} data-testid="mandate-status">
                {MANDATE_STATUS_LABEL[m.status]}
              </Badge>
            </Group>
            {m.blockedAt && (
              <Alert color="red" icon={<IconAlertTriangle />} title="Bloccato per gli addebiti">
                {m.blockedReason} (dal {formatMoment(m.blockedAt)}). Una modifica dell'IBAN toglie il blocco.
              </Alert>
            )}
            <SimpleGrid cols={2} spacing="sm" verticalSpacing="sm">
              <Field label="IBAN">
                <span style={mono} data-testid="mandate-iban">
                  {formatIbanText(m.iban)}
                </span>
              </Field>
              <Field label="BIC">{m.bic}</Field>
              <Field label="Intestatario">{m.holderName}</Field>
              <Field label="Codice fiscale dell'intestatario">{m.holderTaxCode}</Field>
              <Field label="Firmato il">{formatDate(m.signedOn)}</Field>
              <Field label="Ultimo incasso">{formatDate(m.lastCollectionOn)}</Field>
              {m.revokedOn && <Field label="Revocato il">{formatDate(m.revokedOn)}</Field>}
              {m.revokeReason && <Field label="Motivo della revoca">{m.revokeReason}</Field>}
            </SimpleGrid>
            {m.notes && <Field label="Note">{m.notes}</Field>}
            {m.pendingAmendment && (
              <Alert color="blue" variant="light" icon={<IconBuildingBank />} data-testid="mandate-pending">
                Il prossimo addebito comunica alla banca la modifica del mandato: {pendingText(m.pendingAmendment)}.
              </Alert>
            )}
            {m.status === 'attivo' && (
              <Group gap="xs">
                <Button variant="default" leftSection={<IconBuildingBank size={16} />} onClick={() => setDialog('iban')}>
                  Cambia IBAN
                </Button>
                <Button variant="default" leftSection={<IconUserEdit size={16} />} onClick={() => setDialog('holder')}>
                  Correggi intestatario
                </Button>
                <Button variant="light" color="red" leftSection={<IconBan size={16} />} onClick={() => setDialog('revoke')}>
                  Revoca
                </Button>
              </Group>
            )}
            <Text fw={600} mt="sm">
              Storico delle modifiche
            </Text>
            {m.history.length === 0 ? (
              <Text size="sm" c="dimmed">
                Nessuna modifica dalla firma.
              </Text>
            ) : (
              <Table striped withTableBorder fz="sm" data-testid="mandate-history">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Dal</Table.Th>
                    <Table.Th>Modifica</Table.Th>
                    <Table.Th>Banca</Table.Th>
                    <Table.Th>Comunicata</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {m.history.map((h) => (
                    <Table.Tr key={h.id}>
                      <Table.Td>{formatDate(h.effectiveOn)}</Table.Td>
                      <Table.Td>
                        {h.kind === 'iban' ? (
                          <>
                            IBAN <span style={mono}>{formatIbanText(h.originalIban ?? '')}</span> → <span style={mono}>{formatIbanText(h.newIban ?? '')}</span>
                          </>
                        ) : (
                          <>
                            Intestatario «{h.originalHolderName}» → «{h.newHolderName}»
                          </>
                        )}
                        {h.reason && (
                          <Text size="xs" c="dimmed">
                            {h.reason}
                          </Text>
                        )}
                        <Text size="xs" c="dimmed">
                          {formatMoment(h.createdAt)}
                          {h.createdByName ? ` · ${h.createdByName}` : ''}
                        </Text>
                      </Table.Td>
                      <Table.Td>{h.kind === 'iban' ? (h.sameBank ? 'stessa banca' : 'altra banca') : '—'}</Table.Td>
                      <Table.Td>{h.reportedDebitId ? 'sì' : 'al prossimo addebito'}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Stack>
        )}
      </FormDrawer>
      {m && dialog === 'iban' && <AmendIbanModal m={m} onClose={() => setDialog(null)} onDone={done} />}
      {m && dialog === 'holder' && <AmendHolderModal m={m} onClose={() => setDialog(null)} onDone={done} />}
      {m && dialog === 'revoke' && <RevokeModal m={m} onClose={() => setDialog(null)} onDone={done} />}
    </>
  );
}
