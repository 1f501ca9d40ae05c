import { Fragment, useState } from 'react';
import { Badge, Button, Code, Group, ScrollArea, SegmentedControl, Stack, Table, Text, Textarea } from '@mantine/core';
import { IconCheck, IconRefresh, IconTrash } from '@tabler/icons-react';
import { call, type ProcOutput } from '../api/client';
import { notifyError, notifySuccess, useQuery } from '../api/hooks';
import { useChangeNotices } from '../api/notices';
import { useSession } from '../auth/session';
import { EmptyState } from '../components/empty-state';
import { FormModal } from '../components/form-dialog';
import { errorFor, useForm } from '../components/form';
import { FormModalFooter, ModalForm } from '../components/modal-form';
import { TableHead } from '../components/table-parts';
import { formatMoment } from '../format/dates';
import { formatCount } from '../format/words';

type InboundRow = ProcOutput<'portal.review.list'>['rows'][number];
type InboundStatus = InboundRow['status'];
type SupportRow = ProcOutput<'portal.support.list'>['rows'][number];

const STATUS_COLOR: Record<InboundStatus, string> = { applicato: 'teal', in_revisione: 'orange', scartato_dall_ufficio: 'gray', duplicato: 'blue' };

/** The readable payload of an event (indented JSON), in a small scrolling box. */
function Payload({ text }: { text: string }) {
  return (
    <ScrollArea.Autosize mah={220} type="auto">
      <Code block fz="xs">
        {text}
      </Code>
    </ScrollArea.Autosize>
  );
}

/**
 * What came in from the portal: the review queue first (the reason in Italian, «Riprova» after the
 * office fixed the cause, «Scarta» with a reason for supervisors), then everything received.
 */
export function InboundPanel({ review }: { review: boolean }) {
  const session = useSession();
  const [status, setStatus] = useState<InboundStatus | 'tutti'>(review ? 'in_revisione' : 'tutti');
  const list = useQuery('portal.review.list', { ...(status === 'tutti' ? {} : { status }), limit: 100 });
  useChangeNotices(['portal'], () => void list.reload());
  const [open, setOpen] = useState<number | null>(null);
  const [dismissing, setDismissing] = useState<InboundRow | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const rows = list.data?.rows ?? [];
  const counts = list.data?.counts;
  const total = counts ? counts.applicato + counts.in_revisione + counts.scartato_dall_ufficio + counts.duplicato : 0;

  const retry = async (r: InboundRow) => {
    setBusy(r.id);
    try {
      const out = await call('portal.review.retry', { id: r.id });
      if (out.status === 'applicato') notifySuccess(out.message, 'Evento applicato');
      else notifyError(new Error(out.message), 'Ancora in revisione');
      void list.reload();
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Stack gap="xs">
      {!review && (
        <SegmentedControl
          size="xs"
          w={620}
          value={status}
          onChange={(v) => setStatus(v as InboundStatus | 'tutti')}
          data={[
            { value: 'tutti', label: `Tutti (${formatCount(total)})` },
            { value: 'applicato', label: `Applicati (${formatCount(counts?.applicato ?? 0)})` },
            { value: 'in_revisione', label: `In revisione (${formatCount(counts?.in_revisione ?? 0)})` },
            { value: 'duplicato', label: `Duplicati (${formatCount(counts?.duplicato ?? 0)})` },
            { value: 'scartato_dall_ufficio', label: 'Scartati' },
          ]}
        />
      )}
      {rows.length === 0 && !list.loading ? (
        <EmptyState
          filtered={review ? false : total > 0}
          nothing={review ? 'Nessun evento da rivedere: tutto ciò che è arrivato dal portale è stato applicato' : 'Nulla ricevuto dal portale finora'}
          noMatch="Nessun evento in questo stato"
          hint={review ? undefined : 'Disdette, iscrizioni, ricariche e segnalazioni delle famiglie arrivano qui a ogni sincronizzazione.'}
        />
      ) : (
        <Table striped withTableBorder fz="sm" verticalSpacing={4} data-testid={review ? 'review-table' : 'inbound-table'}>
          <TableHead cells={['Richiesta', 'Alunno', { label: 'Quando', nowrap: true }, 'Esito', '']} />
          <Table.Tbody>
            {rows.map((r) => (
              <Fragment key={r.id}>
                <Table.Tr data-testid={review ? 'review-row' : 'inbound-row'}>
                  <Table.Td maw={420}>
                    <Text size="sm" fw={600}>
                      {r.typeLabel}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {r.summary}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {r.pupilName ?? ''}
                    <Text size="xs" c="dimmed" ff="monospace">
                      {r.pupilTaxCode ?? ''}
                    </Text>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Text size="xs">famiglia: {r.occurredAt ? formatMoment(r.occurredAt) : '—'}</Text>
                    <Text size="xs" c="dimmed">
                      ricevuto: {formatMoment(r.receivedAt)}
                      {r.channelLabel ? ` · ${r.channelLabel}` : ''}
                    </Text>
                  </Table.Td>
                  <Table.Td maw={380}>
                    <Badge size="sm" variant="light" color={STATUS_COLOR[r.status]}>
                      {r.statusLabel}
                    </Badge>
                    <Text size="xs" mt={2} data-testid="inbound-message">
                      {r.message}
                    </Text>
                    {r.dismissReason && (
                      <Text size="xs" c="dimmed">
                        Motivo: {r.dismissReason}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Button size="xs" variant="subtle" onClick={() => setOpen(open === r.id ? null : r.id)}>
                        {open === r.id ? 'Chiudi' : 'Dati'}
                      </Button>
                      {r.status === 'in_revisione' && (
                        <>
                          <Button size="xs" variant="default" leftSection={<IconRefresh size={14} />} loading={busy === r.id} onClick={() => void retry(r)}>
                            Riprova
                          </Button>
                          {session.can('supervisore') && (
                            <Button size="xs" variant="subtle" color="red" leftSection={<IconTrash size={14} />} onClick={() => setDismissing(r)}>
                              Scarta
                            </Button>
                          )}
                        </>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
                {open === r.id && (
                  <Table.Tr>
                    <Table.Td colSpan={5}>
                      <Text size="xs" c="dimmed" mb={4}>
                        Evento {r.externalId} come ricevuto{r.attempts > 1 ? ` · ${r.attempts} tentativi` : ''}
                      </Text>
                      <Payload text={r.payload} />
                    </Table.Td>
                  </Table.Tr>
                )}
              </Fragment>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {dismissing && (
        <DismissDialog
          row={dismissing}
          onClose={() => setDismissing(null)}
          onDone={() => {
            setDismissing(null);
            void list.reload();
          }}
        />
      )}
    </Stack>
  );
}

function DismissDialog({ row, onClose, onDone }: { row: InboundRow; onClose: () => void; onDone: () => void }) {
  const form = useForm({ reason: '' });
  const [busy, setBusy] = useState(false);
  return (
    <FormModal dirty={form.dirty} onClose={onClose} title={`Scartare «${row.typeLabel}»?`} size="md">
      <ModalForm
        onSubmit={async () => {
          setBusy(true);
          try {
            await call('portal.review.dismiss', { id: row.id, reason: form.values.reason });
            notifySuccess("L'evento resta registrato come «scartato dall'ufficio»", 'Evento scartato');
            onDone();
          } catch (err) {
            form.showError(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Text size="sm">{row.message}</Text>
        <Textarea label="Motivo" data-autofocus autosize minRows={2} value={form.values.reason} onChange={(e) => form.set('reason', e.currentTarget.value)} error={errorFor(form.errors, 'reason')} />
        <FormModalFooter onCancel={onClose} busy={busy} submitLabel="Scarta l'evento" />
      </ModalForm>
    </FormModal>
  );
}

/** F4: the families' support requests, open ones first, with «Chiudi» and a closing note. */
export function SupportPanel() {
  const [status, setStatus] = useState<'aperta' | 'chiusa' | 'tutte'>('aperta');
  const list = useQuery('portal.support.list', { ...(status === 'tutte' ? {} : { status }), limit: 100 });
  useChangeNotices(['portal'], () => void list.reload());
  const [closing, setClosing] = useState<SupportRow | null>(null);
  const rows = list.data?.rows ?? [];
  return (
    <Stack gap="xs">
      <SegmentedControl
        size="xs"
        w={320}
        value={status}
        onChange={(v) => setStatus(v as 'aperta' | 'chiusa' | 'tutte')}
        data={[
          { value: 'aperta', label: 'Aperte' },
          { value: 'chiusa', label: 'Chiuse' },
          { value: 'tutte', label: 'Tutte' },
        ]}
      />
      {rows.length === 0 && !list.loading ? (
        <EmptyState filtered={status !== 'aperta'} nothing="Nessuna segnalazione aperta dalle famiglie" noMatch="Nessuna segnalazione in questo stato" />
      ) : (
        <Table striped withTableBorder fz="sm" verticalSpacing={4} data-testid="support-table">
          <TableHead cells={['Segnalazione', 'Famiglia', { label: 'Aperta', nowrap: true }, 'Stato', '']} />
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.id} data-testid="support-row">
                <Table.Td maw={520}>
                  <Text size="sm" fw={600}>
                    {r.subject}
                  </Text>
                  <Text size="xs" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
                    {r.message}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {r.payerName ?? r.pupilName ?? ''}
                  <Text size="xs" c="dimmed">
                    {r.contact}
                  </Text>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {formatMoment(r.openedAt)}
                  <Text size="xs" c="dimmed">
                    {r.channelLabel}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge size="sm" variant="light" color={r.status === 'aperta' ? 'orange' : 'gray'}>
                    {r.status === 'aperta' ? 'Aperta' : 'Chiusa'}
                  </Badge>
                  {r.closingNote && (
                    <Text size="xs" c="dimmed">
                      {r.closingNote}
                      {r.closedByName ? ` (${r.closedByName})` : ''}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {r.status === 'aperta' && (
                    <Button size="xs" variant="default" leftSection={<IconCheck size={14} />} onClick={() => setClosing(r)}>
                      Chiudi
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {closing && (
        <CloseSupportDialog
          row={closing}
          onClose={() => setClosing(null)}
          onDone={() => {
            setClosing(null);
            void list.reload();
          }}
        />
      )}
    </Stack>
  );
}

function CloseSupportDialog({ row, onClose, onDone }: { row: SupportRow; onClose: () => void; onDone: () => void }) {
  const form = useForm({ note: '' });
  const [busy, setBusy] = useState(false);
  return (
    <FormModal dirty={form.dirty} onClose={onClose} title={`Chiudere «${row.subject}»`} size="md">
      <ModalForm
        onSubmit={async () => {
          setBusy(true);
          try {
            await call('portal.support.close', { id: row.id, note: form.values.note });
            notifySuccess('Segnalazione chiusa', 'Fatto');
            onDone();
          } catch (err) {
            form.showError(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Textarea label="Nota di chiusura" description="Che cosa è stato fatto o risposto alla famiglia" data-autofocus autosize minRows={2} value={form.values.note} onChange={(e) => form.set('note', e.currentTarget.value)} error={errorFor(form.errors, 'note')} />
        <FormModalFooter onCancel={onClose} busy={busy} submitLabel="Chiudi la segnalazione" />
      </ModalForm>
    </FormModal>
  );
}
