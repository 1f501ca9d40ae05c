import { useState } from 'react';
import { Alert, FileInput, Text, TextInput } from '@mantine/core';
import { IconPaperclip } from '@tabler/icons-react';
import { call } from '../api/client';
import { notifySuccess } from '../api/hooks';
import { readBase64 } from '../components/file-base64';
import { DateField } from '../components/fields';
import { errorFor, given, useForm } from '../components/form';
import { FormModalFooter, ModalForm } from '../components/modal-form';
import { useBusyAction } from '../components/use-busy-action';
import { formatDate } from '../format/dates';
import { romeToday } from '../master-data/lookups';
import { RECEIPT_CHANNELS, SENT_WITH, type DebtChannel } from './labels';
import { FormModal } from '../components/form-dialog';

/** The scanned return receipt (PDF, JPEG, PNG) or the PEC delivery receipt (.eml or its XML). */
const ACCEPT = 'application/pdf,image/jpeg,image/png,message/rfc822,application/xml,text/xml,.pdf,.jpg,.jpeg,.png,.eml,.xml';

export interface DeliveryStep {
  id: number;
  payerName: string;
  stepName: string;
  channel: DebtChannel;
  reachedOn: string;
}

/**
 * "Registra consegna": when the letter of a step reached the family. For a registered letter or a
 * PEC, the receipt number and/or its file (kept with its SHA-256 and never overwritten); once only.
 */
export function DeliveryDialog({ step, onClose, onSaved }: { step: DeliveryStep; onClose: () => void; onSaved: () => void }) {
  const form = useForm({ deliveredOn: romeToday() as string | null, receiptNumber: '' });
  const [file, setFile] = useState<File | null>(null);
  const { busy, run } = useBusyAction((err) => form.showError(err, { 'evidence.contentBase64': 'evidence', 'evidence.fileName': 'evidence' }));
  const v = form.values;
  const needsProof = RECEIPT_CHANNELS.includes(step.channel);

  const save = () =>
    run(async () => {
      const evidence = file ? { fileName: file.name, contentBase64: await readBase64(file) } : null;
      await call('debts.deliveries.record', { stepId: step.id, deliveredOn: given(v.deliveredOn), receiptNumber: v.receiptNumber.trim() || null, evidence });
      notifySuccess(`Consegna a ${step.payerName} registrata${file ? ` con il file ${file.name}` : ''}`, 'Consegna registrata');
      onSaved();
    });

  return (
    <FormModal dirty={form.dirty || file !== null} onClose={onClose} title={`Registra consegna · ${step.payerName}`} size="lg">
      <ModalForm onSubmit={save}>
        <Text size="sm">
          «{step.stepName}» inviata il {formatDate(step.reachedOn)} {SENT_WITH[step.channel]}.
        </Text>
        <DateField label="Consegnata il" withAsterisk value={v.deliveredOn} onChange={(d) => form.set('deliveredOn', d)} error={form.errors.deliveredOn} maxDate={romeToday()} w={180} data-autofocus />
        <TextInput
          label={step.channel === 'pec' ? 'Identificativo della ricevuta di consegna PEC' : 'Numero della raccomandata'}
          description={needsProof ? 'Il numero, il file della ricevuta, o entrambi' : 'Facoltativo'}
          value={v.receiptNumber}
          onChange={(e) => form.set('receiptNumber', e.currentTarget.value)}
          error={form.errors.receiptNumber}
          maxLength={80}
        />
        <FileInput
          label={step.channel === 'pec' ? 'Ricevuta di consegna PEC (.eml, XML o PDF)' : 'Cartolina di ritorno scansionata (PDF, JPEG o PNG)'}
          description="Al massimo 5 MB; si conserva con la sua impronta SHA-256 e non si può sostituire"
          placeholder="Scegli il file"
          accept={ACCEPT}
          clearable
          leftSection={<IconPaperclip size={16} />}
          value={file}
          onChange={(f) => {
            setFile(f);
            form.setErrors((e) => {
              const rest = { ...e };
              delete rest.evidence;
              return rest;
            });
          }}
          error={errorFor(form.errors, 'evidence')}
          data-testid="delivery-evidence"
        />
        <Alert color="gray" variant="light">
          La consegna si registra una volta sola: dopo, numero, data e file non si modificano.
        </Alert>
        <FormModalFooter onCancel={onClose} busy={busy} submitLabel="Registra consegna" />
      </ModalForm>
    </FormModal>
  );
}
