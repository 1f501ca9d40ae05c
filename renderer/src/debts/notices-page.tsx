import { useState } from 'react';
import { Alert, Badge, Button, Card, Group, Select, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { IconBan, IconFileTypePdf, IconPlus } from '@tabler/icons-react';
import { call, type ProcOutput } from '../api/client';
import { notifySuccess, useQuery } from '../api/hooks';
import { PageHeader } from '../components/page';
import { DateField, MoneyField } from '../components/fields';
import { errorFor, given, givenId, useForm } from '../components/form';
import { FormModalFooter, ModalForm } from '../components/modal-form';
import { RemoteSelect, type RemoteOption } from '../components/remote-select';
import { searchPayers } from '../components/people-search';
import { EmptyRow, TableHead } from '../components/table-parts';
import { formatDate } from '../format/dates';
import { formatCents, parseEuroToCents } from '../format/money';
import { romeToday } from '../master-data/lookups';
import { useDocuments } from '../money/use-documents';
import { FormModal } from '../components/form-dialog';

type NoticeList = ProcOutput<'pagopa.notices.list'>;
export type Notice = NoticeList['rows'][number];
type Status = Notice['status'];
type Ground = NonNullable<NoticeList['p6Ground']>;

export const NOTICE_STATUS_LABEL: Record<Status, string> = { da_pagare: 'Da pagare', pagato: 'Pagato', annullato: 'Annullato' };
const STATUS_COLOR: Record<Status, string> = { da_pagare: 'orange', pagato: 'teal', annullato: 'gray' };
const GROUND_LABEL: Record<Ground, string> = {
  eccezione: "Eccezione pagoPA in corso (P6)",
  insoluti: 'Ha addebiti SDD insoluti (P6)',
  senza_conto: 'Senza conto corrente: nessun IBAN né mandato SDD (P6)',
};

/** 18 digits in groups of four, as printed on the notice. */
export function groupedNotice(n: string): string {
  return n.replace(/(\d{4})(?=\d)/g, '$1 ');
}

/** A notice's status, with the days past due while unpaid. */
export function NoticeStatusBadge({ n }: { n: Pick<Notice, 'status' | 'overdueDays' | 'paidOn'> }) {
  return (
    <Group gap={4} wrap="nowrap">
      <Badge size="sm" variant="light" color={STATUS_COLOR[n.status]}>
        {NOTICE_STATUS_LABEL[n.status]}
      </Badge>
      {n.status === 'da_pagare' && n.overdueDays > 0 && (
        <Text size="xs" c="red.8">
          scaduto da {n.overdueDays === 1 ? '1 giorno' : `${n.overdueDays} giorni`}
        </Text>
      )}
      {n.status === 'pagato' && n.paidOn && (
        <Text size="xs" c="dimmed">
          il {formatDate(n.paidOn)}
        </Text>
      )}
    </Group>
  );
}

/** The notices of a list, with their PDF and, while unpaid, their cancellation. */
export function NoticesTable({ rows, onChanged, showPayer = false }: { rows: Notice[]; onChanged: () => void; showPayer?: boolean }) {
  const docs = useDocuments();
  const [cancelling, setCancelling] = useState<Notice | null>(null);
  return (
    <>
      <Table striped withTableBorder fz="sm" verticalSpacing={6} data-testid="notices-table">
        <TableHead cells={[...(showPayer ? ['Pagante'] : []), 'Codice avviso', 'Alunno', { label: 'Importo', right: true }, { label: 'Scadenza', nowrap: true }, 'Stato', 'Emesso', '']} />
        <Table.Tbody>
          {rows.map((n) => (
            <Table.Tr key={n.id} data-testid="notice-row">
              {showPayer && (
                <Table.Td>
                  {n.payerName}
                  <Text size="xs" c="dimmed" ff="monospace">
                    {n.payerTaxCode}
                  </Text>
                </Table.Td>
              )}
              <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                {groupedNotice(n.noticeNumber)}
                <Text size="xs" c="dimmed" ff="inherit">
                  ente {n.creditorFiscalCode}
                </Text>
              </Table.Td>
              <Table.Td>
                {n.pupilName}
                <Text size="xs" c="dimmed">
                  {n.description}
                </Text>
              </Table.Td>
              <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                {formatCents(n.amountCents)}
              </Table.Td>
              <Table.Td>{formatDate(n.dueOn)}</Table.Td>
              <Table.Td>
                <NoticeStatusBadge n={n} />
                {n.cancelReason && (
                  <Text size="xs" c="dimmed">
                    {n.cancelReason}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="xs">{formatDate(n.issuedOn)}</Text>
                <Text size="xs" c="dimmed">
                  {n.issuedByName ?? ''}
                </Text>
              </Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  <Button
                    size="xs"
                    variant="default"
                    leftSection={<IconFileTypePdf size={14} />}
                    loading={docs.busy === `pdf-${n.id}`}
                    onClick={() => void docs.generate(`pdf-${n.id}`, () => call('pagopa.notices.pdf', { noticeId: n.id }), (f) => [f.fileName, 'Avviso pronto'])}
                  >
                    PDF
                  </Button>
                  {n.status === 'da_pagare' && (
                    <Button size="xs" variant="subtle" color="red" leftSection={<IconBan size={14} />} onClick={() => setCancelling(n)}>
                      Annulla
                    </Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
          {rows.length === 0 && <EmptyRow colSpan={showPayer ? 8 : 7}>Nessun avviso</EmptyRow>}
        </Table.Tbody>
      </Table>
      {cancelling && (
        <CancelNoticeDialog
          notice={cancelling}
          onClose={() => setCancelling(null)}
          onDone={() => {
            setCancelling(null);
            onChanged();
          }}
        />
      )}
    </>
  );
}

function CancelNoticeDialog({ notice, onClose, onDone }: { notice: Notice; onClose: () => void; onDone: () => void }) {
  const form = useForm({ reason: '' });
  const [busy, setBusy] = useState(false);
  return (
    <FormModal dirty={form.dirty} onClose={onClose} title={`Annullare l'avviso ${groupedNotice(notice.noticeNumber)}`} size="md">
      <ModalForm
        onSubmit={async () => {
          setBusy(true);
          try {
            await call('pagopa.notices.cancel', { noticeId: notice.id, reason: form.values.reason });
            notifySuccess(`Avviso di ${formatCents(notice.amountCents)} per ${notice.pupilName} annullato`, 'Avviso annullato');
            onDone();
          } catch (err) {
            form.showError(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Text size="sm">Un avviso annullato non si può più pagare con il suo codice. Se la famiglia lo ha già pagato, la ricevuta lo chiude da sé e non si annulla.</Text>
        <Textarea label="Motivo" data-autofocus autosize minRows={2} value={form.values.reason} onChange={(e) => form.set('reason', e.currentTarget.value)} error={errorFor(form.errors, 'reason')} />
        <FormModalFooter onCancel={onClose} busy={busy} submitLabel="Annulla l'avviso" />
      </ModalForm>
    </FormModal>
  );
}

function IssueNoticeDialog({ payerId, list, onClose, onDone }: { payerId: number; list: NoticeList; onClose: () => void; onDone: () => void }) {
  const services = useQuery('ledger.services', {});
  const form = useForm({
    pupilId: list.pupils.length === 1 ? String(list.pupils[0].pupilId) : (null as string | null),
    service: 'mensa',
    amount: '',
    dueOn: null as string | null,
    creditorFiscalCode: list.lastIssuer?.creditorFiscalCode ?? '',
    segregationCode: list.lastIssuer?.segregationCode ?? '',
    description: '',
  });
  const [busy, setBusy] = useState(false);
  const v = form.values;
  return (
    <FormModal dirty={form.dirty} onClose={onClose} title="Emetti un avviso pagoPA" size="lg">
      <ModalForm
        onSubmit={async () => {
          setBusy(true);
          try {
            const n = await call('pagopa.notices.issue', {
              payerId,
              pupilId: givenId(v.pupilId),
              service: v.service,
              amountCents: given(parseEuroToCents(v.amount)),
              dueOn: given(v.dueOn),
              creditorFiscalCode: v.creditorFiscalCode,
              segregationCode: v.segregationCode,
              description: v.description.trim() || undefined,
            });
            notifySuccess(`Avviso ${groupedNotice(n.noticeNumber)} di ${formatCents(n.amountCents)}, entro il ${formatDate(n.dueOn)}`, 'Avviso emesso');
            onDone();
          } catch (err) {
            form.showError(err, { amountCents: 'amount' });
          } finally {
            setBusy(false);
          }
        }}
      >
        <Select
          label="Alunno"
          data={list.pupils.map((p) => ({ value: String(p.pupilId), label: `${p.name} · ${p.taxCode}${p.municipalityName ? ` (${p.municipalityName})` : ''}` }))}
          value={v.pupilId}
          onChange={(x) => form.set('pupilId', x)}
          error={errorFor(form.errors, 'pupilId')}
          data-testid="notice-pupil"
        />
        <Group grow align="flex-start">
          <Select label="Servizio" data={(services.data ?? []).filter((s) => s.active).map((s) => ({ value: s.code, label: s.name }))} value={v.service} onChange={(x) => form.set('service', x ?? 'mensa')} error={errorFor(form.errors, 'service')} />
          <MoneyField label="Importo" value={v.amount} onChange={(e) => form.set('amount', e.currentTarget.value)} error={errorFor(form.errors, 'amount')} data-testid="notice-amount" />
          <DateField label="Scadenza" value={v.dueOn} onChange={(x) => form.set('dueOn', x)} minDate={romeToday()} error={errorFor(form.errors, 'dueOn')} data-testid="notice-due" />
        </Group>
        <Group grow align="flex-start">
          <TextInput label="Codice fiscale dell'ente creditore" description="11 cifre, l'ente registrato su pagoPA" value={v.creditorFiscalCode} onChange={(e) => form.set('creditorFiscalCode', e.currentTarget.value)} error={errorFor(form.errors, 'creditorFiscalCode')} data-testid="notice-creditor" />
          <TextInput label="Codice di segregazione" description="2 cifre, assegnate da PagoPA" value={v.segregationCode} onChange={(e) => form.set('segregationCode', e.currentTarget.value)} error={errorFor(form.errors, 'segregationCode')} maxLength={2} w={120} data-testid="notice-segregation" />
        </Group>
        <TextInput label="Causale" placeholder="Refezione scolastica … (se vuota)" maxLength={140} value={v.description} onChange={(e) => form.set('description', e.currentTarget.value)} error={errorFor(form.errors, 'description')} />
        {errorFor(form.errors, 'payerId') && <Alert color="red">{errorFor(form.errors, 'payerId')}</Alert>}
        <FormModalFooter onCancel={onClose} busy={busy} submitLabel="Emetti l'avviso" />
      </ModalForm>
    </FormModal>
  );
}

/**
 * The pagoPA notices of one family (P6): whether the family may receive them and why, the notices
 * with their status (paid when the receipt with their IUV arrives), the PDF, the cancellation, and
 * a new notice. For reuse beside a family's debt file.
 */
export function FamilyNoticesCard({ payerId }: { payerId: number }) {
  const list = useQuery('pagopa.notices.list', { payerId });
  const [issuing, setIssuing] = useState(false);
  const l = list.data;
  const unpaid = (l?.rows ?? []).filter((n) => n.status === 'da_pagare');
  return (
    <Card withBorder radius="md" data-testid="family-notices">
      <Group justify="space-between" mb="xs">
        <div>
          <Text fw={600}>Avvisi pagoPA dell'ufficio</Text>
          <Text size="sm" c="dimmed">
            {l ? (l.p6Ground ? GROUND_LABEL[l.p6Ground] : 'La famiglia ha un conto e nessun insoluto: paga con SDD o ricarica dal portale (P6)') : ' '}
          </Text>
        </div>
        <Group gap="md">
          {unpaid.length > 0 && (
            <Text size="sm">
              Da pagare: <b>{formatCents(unpaid.reduce((s, n) => s + n.amountCents, 0))}</b>
            </Text>
          )}
          <Button leftSection={<IconPlus size={16} />} disabled={!l?.p6Ground || !l.pupils.length} onClick={() => setIssuing(true)} data-testid="notice-issue">
            Emetti avviso
          </Button>
        </Group>
      </Group>
      {l && <NoticesTable rows={l.rows} onChanged={() => void list.reload()} />}
      <Text size="xs" c="dimmed" mt="xs">
        L'avviso non aggiunge debito: il debito è il saldo negativo del conto dell'alunno. Pagato, diventa una ricarica del conto e la posizione si riduce da sé.
      </Text>
      {issuing && l && (
        <IssueNoticeDialog
          payerId={payerId}
          list={l}
          onClose={() => setIssuing(false)}
          onDone={() => {
            setIssuing(false);
            void list.reload();
          }}
        />
      )}
    </Card>
  );
}

/** Avvisi pagoPA (P6): the notices the office issued, per family; without a family, every unpaid notice. */
export function DebtNoticesPage() {
  const [payer, setPayer] = useState<RemoteOption | null>(null);
  const unpaid = useQuery('pagopa.notices.list', payer ? null : { status: 'da_pagare' });
  return (
    <Stack gap="sm">
      <PageHeader
        title="Avvisi pagoPA"
        description="Avvisi di pagamento emessi dall'ufficio per le famiglie senza conto corrente, con addebiti SDD insoluti o con l'eccezione pagoPA (P6)"
      />
      <RemoteSelect label="Famiglia (pagante)" placeholder="Cercare il pagante per cognome, nome o codice fiscale" value={payer} onChange={setPayer} search={searchPayers} w={460} data-testid="notices-payer" />
      {payer ? (
        <FamilyNoticesCard key={payer.value} payerId={Number(payer.value)} />
      ) : (
        <Card withBorder radius="md">
          <Text fw={600} mb="xs">
            Avvisi da pagare
          </Text>
          {unpaid.data && <NoticesTable rows={unpaid.data.rows} onChanged={() => void unpaid.reload()} showPayer />}
        </Card>
      )}
    </Stack>
  );
}
