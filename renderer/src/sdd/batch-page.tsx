import { useMemo, useState, type ReactNode } from 'react';
import {
  Alert,
  Badge,
  Box,
  Button,
  Card,
  Checkbox,
  Group,
  Loader,
  MultiSelect,
  Paper,
  SimpleGrid,
  Stack,
  Tabs,
  Text,
  TextInput,
  Textarea,
  Title,
  Tooltip,
  type ButtonProps,
} from '@mantine/core';
import { IconAlertTriangle, IconArrowLeft, IconBan, IconCheck, IconCoin, IconEye, IconFileCode, IconFileSpreadsheet, IconMailForward, IconRefresh, IconSend } from '@tabler/icons-react';
import { call, errorMessage, type ProcOutput } from '../api/client';
import { notifyError, notifySuccess, usePagedList, useQuery, type RowOf } from '../api/hooks';
import { useSession } from '../auth/session';
import { downloadBase64 } from '../components/export-button';
import { SearchField, useListControls } from '../components/list-toolbar';
import { PagedTable } from '../components/paged-table';
import type { Column } from '../components/virtual-table';
import { formatCents } from '../format/money';
import { formatDate, formatMoment } from '../format/dates';
import { romeToday } from '../master-data/lookups';
import { formatIbanText } from '../payers/iban';
import { monthLabel } from '../../../electron/contract/vocabulary/months';
import { ACK_REASONS, BATCH_STATUS_COLOR, BATCH_STATUS_LABEL, FINDING_KIND_LABEL, FINDING_KIND_ORDER, SEQUENCE_LABEL, plural, type BatchStatus, type FindingKind } from './labels';
import { FormModal } from '../components/form-dialog';

type BatchView = ProcOutput<'sdd.batches.get'>;
type Finding = BatchView['findings'][number];
type Debit = RowOf<'sdd.batches.debits'>;
type FileFormat = 'cbi' | 'cbi-busta' | 'pain.008' | 'excel';

export function StatusBadge({ status }: { status: BatchStatus }) {
  return (
    <Badge variant="light" color={BATCH_STATUS_COLOR[status]} data-testid="batch-status">
      {BATCH_STATUS_LABEL[status]}
    </Badge>
  );
}

const mono = { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } as const;
const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The confirmation every action of the SDD screens goes through: what will happen, in words and
 * figures; a reason when the action needs one; the backend's refusal shown in the modal, in Italian.
 */
export function ConfirmAction({
  title,
  children,
  confirmLabel,
  color,
  reasonLabel,
  onConfirm,
  onClose,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  color?: string;
  /** ask for a reason (at least 3 characters) and pass it to onConfirm */
  reasonLabel?: string;
  onConfirm: (reason: string) => Promise<void>;
  onClose: () => void;
}) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const missingReason = reasonLabel !== undefined && reason.trim().length < 3;
  return (
    <FormModal dirty={reason.trim() !== ''} onClose={onClose} title={title} size="lg">
      <Stack gap="sm" data-testid="confirm-action">
        <div data-testid="confirm-text">{children}</div>
        {reasonLabel && <Textarea label={reasonLabel} placeholder="Scrivere il motivo (almeno 3 caratteri)" autosize minRows={2} value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-autofocus />}
        {error && (
          <Alert color="red" icon={<IconAlertTriangle />} data-testid="confirm-error">
            {error}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Annulla
          </Button>
          <Button
            color={color}
            loading={busy}
            disabled={missingReason}
            onClick={() =>
              void (async () => {
                setBusy(true);
                setError(null);
                try {
                  await onConfirm(reason.trim());
                  onClose();
                } catch (err) {
                  setError(errorMessage(err));
                  notifyError(err);
                } finally {
                  setBusy(false);
                }
              })()
            }
          >
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </FormModal>
  );
}

/** A button that stays focusable while unavailable, so its tooltip can say why (aria-disabled). */
function GuardedButton({ why, onClick, children, ...rest }: ButtonProps & { why: string | null; onClick: () => void; children: ReactNode }) {
  return (
    <Tooltip label={why} disabled={!why} multiline w={320} withArrow>
      <Button
        {...rest}
        data-disabled={why ? true : undefined}
        aria-disabled={why ? true : undefined}
        onClick={(e) => {
          if (why) {
            e.preventDefault();
            return;
          }
          onClick();
        }}
      >
        {children}
      </Button>
    </Tooltip>
  );
}

function Figure({ label, value, testId, hint }: { label: string; value: ReactNode; testId?: string; hint?: ReactNode }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text fz="lg" fw={700} data-testid={testId} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Card>
  );
}

type Action = 'prepare' | 'approve' | 'markSent' | 'collect' | 'cancel';

/**
 * One SDD batch: its totals and dates, the billing checks to acknowledge before approval, the
 * included and excluded debits, and the actions its status allows (approve, bank files, sent,
 * collected, cancelled). The backend decides; the screen says beforehand what each action does.
 */
export function BatchPage({ batchId, onBack }: { batchId: number; onBack: () => void }) {
  const session = useSession();
  const supervisor = session.can('supervisore');
  const view = useQuery('sdd.batches.get', { batchId });
  const creditor = useQuery('sdd.creditor.get', {});
  const [action, setAction] = useState<Action | null>(null);
  const [tab, setTab] = useState<string | null>(null);
  const [downloading, setDownloading] = useState<FileFormat | 'preavvisi' | null>(null);
  const [version, setVersion] = useState(0);

  if (!view.data) {
    return (
      <Stack>
        <Button variant="subtle" leftSection={<IconArrowLeft size={16} />} onClick={onBack} w="fit-content">
          Distinte SDD
        </Button>
        {view.loading ? <Loader /> : <Alert color="red">{view.error ? errorMessage(view.error) : 'Distinta non trovata'}</Alert>}
      </Stack>
    );
  }
  const { batch: b, findings, returnedCount, returnedCents, presentation, payerCount, preparedBy, approvedBy } = view.data;
  const open = findings.filter((f) => f.acknowledgedAt === null);
  const today = romeToday();
  const label = monthLabel(b.month);
  const days = creditor.data?.settings?.prenotificationDays ?? creditor.data?.defaults.prenotificationDays ?? 14;
  const refresh = async () => {
    await view.reload();
    setVersion((v) => v + 1);
  };
  /** The confirmation of one step of the batch: `run` does it and returns the notice (message, title); then the page reloads. */
  const stepConfirm = (title: string, confirmLabel: string, run: () => Promise<[message: string, title: string]>, text: ReactNode) => (
    <ConfirmAction
      title={title}
      confirmLabel={confirmLabel}
      onClose={() => setAction(null)}
      onConfirm={async () => {
        notifySuccess(...(await run()));
        await refresh();
      }}
    >
      {text}
    </ConfirmAction>
  );

  async function download(format: FileFormat) {
    setDownloading(format);
    try {
      const f = await call('sdd.batches.file', { batchId, format });
      downloadBase64(f.fileName, f.contentBase64, f.mimeType);
      notifySuccess(`${plural(f.count, 'addebito', 'addebiti')} in ${f.fileName}`, 'File della distinta scaricato');
    } catch (err) {
      notifyError(err, 'File non prodotto');
    } finally {
      setDownloading(null);
    }
  }

  async function downloadPrenotifications() {
    setDownloading('preavvisi');
    try {
      const f = await call('sdd.batches.prenotifications', { batchId });
      downloadBase64(f.fileName, f.contentBase64, XLSX_MIME);
      notifySuccess(`${plural(f.rows, 'preavviso', 'preavvisi')} in ${f.fileName}`, 'Preavvisi alle famiglie (P8)');
    } catch (err) {
      notifyError(err, 'File non prodotto');
    } finally {
      setDownloading(null);
    }
  }

  const approveWhy =
    open.length > 0
      ? `Ci sono ancora ${plural(open.length, 'controllo aperto', 'controlli aperti')}: prenderne visione, con il motivo, nella scheda «Controlli» prima di approvare`
      : b.debitCount === 0
        ? 'Nessun addebito incluso: non c’è nulla da approvare'
        : creditor.data && !creditor.data.configured
          ? `Impostazioni SDD incomplete: ${creditor.data.missing.join('; ')}`
          : null;
  const collectWhy = today < b.dueDate ? `L'incasso si registra dalla data di scadenza, il ${formatDate(b.dueDate)}` : null;
  const xmlReady = b.status === 'approvato' || b.status === 'esportato' || b.status === 'incassato';

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Box>
          <Button variant="subtle" size="compact-sm" leftSection={<IconArrowLeft size={14} />} onClick={onBack} px={4}>
            Distinte SDD
          </Button>
          <Group gap="sm" align="center">
            <Title order={2} fw={600} fz={22}>
              Distinta di {label}
            </Title>
            <StatusBadge status={b.status} />
          </Group>
          <Text size="sm" c="dimmed">
            N. {b.id} · servizio {b.service} · preparata il {formatMoment(b.preparedAt)}
            {preparedBy && ` da ${preparedBy}`}
            {b.approvedAt && ` · approvata il ${formatMoment(b.approvedAt)}${approvedBy ? ` da ${approvedBy}` : ''}`}
            {b.msgId && (
              <>
                {' '}
                · messaggio <span style={mono}>{b.msgId}</span>
              </>
            )}
          </Text>
        </Box>
      </Group>

      <SimpleGrid cols={{ base: 3, lg: 6 }} spacing="sm">
        <Figure label="Addebiti" value={b.debitCount} testId="batch-count" />
        <Figure label="Totale" value={formatCents(b.totalCents)} testId="batch-total" />
        <Figure label="Esclusi" value={b.excludedCount} testId="batch-excluded" />
        <Figure label="Scadenza" value={formatDate(b.dueDate)} testId="batch-due" hint={`Alla banca dal ${formatDate(presentation.earliest).slice(0, 5)} al ${formatDate(presentation.latest)}`} />
        <Figure
          label="Preavviso alle famiglie (P8)"
          value={b.prenotifiedOn ? formatDate(b.prenotifiedOn) : 'all’approvazione'}
          testId="batch-prenotified"
          hint={`almeno ${days} giorni prima della scadenza`}
        />
        <Figure label="Insoluti" value={returnedCount ? `${returnedCount} · ${formatCents(returnedCents)}` : 'nessuno'} testId="batch-returns" />
      </SimpleGrid>

      {b.status === 'annullato' && (
        <Alert color="red" variant="light" title={`Distinta annullata il ${formatMoment(b.cancelledAt)}`}>
          Motivo: {b.cancelReason}
        </Alert>
      )}
      {b.status === 'incassato' && (
        <Alert color="green" variant="light" icon={<IconCheck />}>
          Incasso registrato il {formatMoment(b.collectedAt)} con data {formatDate(b.dueDate)}: gli insoluti che arrivano dalla banca si importano in «Esiti SDD».
        </Alert>
      )}

      <Group gap="xs" data-testid="batch-actions">
        {b.status === 'bozza' && (
          <>
            <Button variant="default" leftSection={<IconRefresh size={16} />} onClick={() => setAction('prepare')}>
              Prepara di nuovo
            </Button>
            <GuardedButton why={approveWhy} leftSection={<IconCheck size={16} />} onClick={() => setAction('approve')}>
              Approva
            </GuardedButton>
          </>
        )}
        <Button variant="default" leftSection={<IconFileSpreadsheet size={16} />} loading={downloading === 'excel'} onClick={() => void download('excel')}>
          Scarica Excel
        </Button>
        {xmlReady && (
          <>
            <Button variant="default" leftSection={<IconFileCode size={16} />} loading={downloading === 'cbi'} onClick={() => void download('cbi')}>
              Scarica XML CBI
            </Button>
            <Button variant="default" leftSection={<IconFileCode size={16} />} loading={downloading === 'cbi-busta'} onClick={() => void download('cbi-busta')}>
              CBI con busta
            </Button>
            <Button variant="default" leftSection={<IconFileCode size={16} />} loading={downloading === 'pain.008'} onClick={() => void download('pain.008')}>
              pain.008
            </Button>
            <Button variant="default" leftSection={<IconMailForward size={16} />} loading={downloading === 'preavvisi'} onClick={() => void downloadPrenotifications()}>
              Preavvisi
            </Button>
          </>
        )}
        {b.status === 'approvato' && (
          <Button leftSection={<IconSend size={16} />} onClick={() => setAction('markSent')}>
            Segna come inviata
          </Button>
        )}
        {b.status === 'esportato' && (
          <GuardedButton why={collectWhy} leftSection={<IconCoin size={16} />} onClick={() => setAction('collect')}>
            Registra incasso
          </GuardedButton>
        )}
        {supervisor && (b.status === 'bozza' || b.status === 'approvato' || b.status === 'esportato') && (
          <Button variant="light" color="red" leftSection={<IconBan size={16} />} onClick={() => setAction('cancel')}>
            {b.status === 'bozza' ? 'Scarta la bozza' : 'Annulla'}
          </Button>
        )}
      </Group>

      <Tabs value={tab ?? (b.status === 'bozza' && open.length ? 'controlli' : 'inclusi')} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="controlli" rightSection={open.length ? <Badge size="sm" color="orange">{open.length}</Badge> : undefined}>
            Controlli ({findings.length})
          </Tabs.Tab>
          <Tabs.Tab value="inclusi">Addebiti ({b.debitCount})</Tabs.Tab>
          <Tabs.Tab value="esclusi">Esclusi ({b.excludedCount})</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="controlli" pt="sm">
          <Findings findings={findings} editable={b.status === 'bozza'} onChanged={refresh} />
        </Tabs.Panel>
        <Tabs.Panel value="inclusi" pt="sm">
          <DebitList key={`in-${version}`} batchId={batchId} included />
        </Tabs.Panel>
        <Tabs.Panel value="esclusi" pt="sm">
          <DebitList key={`out-${version}`} batchId={batchId} included={false} />
        </Tabs.Panel>
      </Tabs>

      {action === 'prepare' &&
        stepConfirm(
          `Prepara di nuovo la distinta di ${label}`,
          'Prepara di nuovo',
          async () => {
            const n = await call('sdd.batches.prepare', { service: b.service, month: b.month, dueDate: b.dueDate });
            return [`${plural(n.debitCount, 'addebito', 'addebiti')} per ${formatCents(n.totalCents)}, ${plural(n.excludedCount, 'escluso', 'esclusi')}`, 'Bozza ricalcolata'];
          },
          <Text size="sm">
            La bozza viene ricalcolata dai pasti, dai mandati e dagli IBAN di adesso, con scadenza il {formatDate(b.dueDate)}. Le prese visione dei controlli ancora presenti restano; i
            controlli nuovi vanno visti prima dell&apos;approvazione.
          </Text>,
        )}
      {action === 'approve' &&
        stepConfirm(
          `Approva la distinta di ${label}`,
          'Approva la distinta',
          async () => {
            await call('sdd.batches.approve', { batchId });
            return ['Distinta approvata: ora si possono scaricare i file XML per la banca', `Distinta di ${label}`];
          },
          <>
            <Text size="sm">
              Approvando, <b>{plural(payerCount, 'famiglia sarà addebitata', 'famiglie saranno addebitate')}</b> ({plural(b.debitCount, 'addebito', 'addebiti')}, uno per alunno) per{' '}
              <b>{formatCents(b.totalCents)}</b> il <b>{formatDate(b.dueDate)}</b>; la distinta non sarà più modificabile.
            </Text>
            <Text size="sm" mt="xs">
              Oggi, {formatDate(today)}, vale come preavviso alle famiglie (almeno {days} giorni prima della scadenza). Gli alunni della distinta non potranno entrare in un&apos;altra distinta
              di {label}. {b.excludedCount > 0 && `${plural(b.excludedCount, 'alunno escluso resta', 'alunni esclusi restano')} fuori, con il motivo.`}
            </Text>
          </>,
        )}
      {action === 'markSent' &&
        stepConfirm(
          'Segna la distinta come inviata alla banca',
          'Segna come inviata',
          async () => {
            await call('sdd.batches.markSent', { batchId });
            return ['La distinta risulta inviata alla banca', `Distinta di ${label}`];
          },
          <Text size="sm">
            Confermare dopo aver caricato il file XML sul servizio della banca: la distinta risulterà inviata oggi, {formatDate(today)} (la banca deve riceverla entro il{' '}
            {formatDate(presentation.latest)}). Da quel momento si importano i suoi esiti e, dal {formatDate(b.dueDate)}, si registra l&apos;incasso.
          </Text>,
        )}
      {action === 'collect' &&
        stepConfirm(
          "Registra l'incasso della distinta",
          'Registra incasso',
          async () => {
            const r = await call('sdd.batches.collect', { batchId });
            return [`${plural(r.collected, 'addebito incassato', 'addebiti incassati')} per ${formatCents(r.totalCents)}`, `Incasso della distinta di ${label}`];
          },
          <Text size="sm">
            Registrando l&apos;incasso, ciascuno degli addebiti non respinti dalla banca ({b.debitCount - returnedCount} su {b.debitCount}) entra nel conto dell&apos;alunno come addebito SDD
            incassato il {formatDate(b.dueDate)}, con la commissione. Gli insoluti che arriveranno dopo storneranno l&apos;incasso della famiglia.
          </Text>,
        )}
      {action === 'cancel' && (
        <ConfirmAction
          title={b.status === 'bozza' ? 'Scarta la bozza' : `Annulla la distinta di ${label}`}
          confirmLabel={b.status === 'bozza' ? 'Scarta la bozza' : 'Annulla la distinta'}
          color="red"
          reasonLabel="Motivo"
          onClose={() => setAction(null)}
          onConfirm={async (reason) => {
            await call('sdd.batches.cancel', { batchId, reason });
            if (b.status === 'bozza') {
              notifySuccess('Bozza scartata', `Distinta di ${label}`);
              onBack();
            } else {
              notifySuccess('Distinta annullata: i mesi dei suoi alunni si possono addebitare in una nuova distinta', `Distinta di ${label}`);
              await refresh();
            }
          }}
        >
          <Text size="sm">
            {b.status === 'bozza'
              ? 'La bozza, i suoi addebiti e i suoi controlli vengono eliminati; la distinta del mese si può preparare di nuovo.'
              : `Annullando, i ${b.debitCount} addebiti per ${formatCents(b.totalCents)} non saranno incassati e gli alunni tornano addebitabili per ${label} in una nuova distinta.`}
          </Text>
          {b.status === 'esportato' && (
            <Text size="sm" mt="xs" c="red.8">
              La distinta risulta già inviata: chiedere alla banca di ritirarla prima della scadenza.
            </Text>
          )}
        </ConfirmAction>
      )}
    </Stack>
  );
}

/** The billing checks grouped by kind; open ones can be ticked and acknowledged together, with a reason. */
function Findings({ findings, editable, onChanged }: { findings: Finding[]; editable: boolean; onChanged: () => Promise<void> }) {
  const [picked, setPicked] = useState<Set<number>>(new Set());
  const [acknowledging, setAcknowledging] = useState(false);
  const groups = useMemo(() => {
    const by = new Map<FindingKind, Finding[]>();
    for (const f of findings) by.set(f.kind, [...(by.get(f.kind) ?? []), f]);
    // a kind the order does not know yet comes last rather than not at all
    const rank = (k: FindingKind) => (FINDING_KIND_ORDER.includes(k) ? FINDING_KIND_ORDER.indexOf(k) : FINDING_KIND_ORDER.length);
    return [...by.keys()].sort((a, b) => rank(a) - rank(b)).map((k) => ({ kind: k, rows: by.get(k)! }));
  }, [findings]);
  const openIds = findings.filter((f) => f.acknowledgedAt === null).map((f) => f.id);
  const chosen = openIds.filter((id) => picked.has(id));
  const toggle = (ids: number[], on: boolean) =>
    setPicked((p) => {
      const next = new Set(p);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });

  if (findings.length === 0) {
    return (
      <Alert color="green" variant="light" icon={<IconCheck />} data-testid="findings-none">
        Nessun controllo segnalato: pasti, mandati, IBAN e importi sono in regola.
      </Alert>
    );
  }
  return (
    <Stack gap="sm" data-testid="findings">
      {editable && (
        <Group justify="space-between">
          <Text size="sm" c={openIds.length ? 'orange.8' : 'dimmed'}>
            {openIds.length ? `${plural(openIds.length, 'controllo da vedere', 'controlli da vedere')} prima dell'approvazione` : 'Tutti i controlli sono stati presi in visione'}
          </Text>
          <Group gap="xs">
            <Button variant="default" size="xs" disabled={openIds.length === 0} onClick={() => toggle(openIds, chosen.length < openIds.length)}>
              {chosen.length < openIds.length ? 'Seleziona tutti' : 'Deseleziona tutti'}
            </Button>
            <Button leftSection={<IconEye size={16} />} disabled={chosen.length === 0} onClick={() => setAcknowledging(true)}>
              Prendi visione{chosen.length ? ` (${chosen.length})` : ''}
            </Button>
          </Group>
        </Group>
      )}
      {groups.map((g) => {
        const groupOpen = g.rows.filter((f) => f.acknowledgedAt === null).map((f) => f.id);
        const all = groupOpen.length > 0 && groupOpen.every((id) => picked.has(id));
        return (
          <Paper key={g.kind} withBorder p="sm" data-testid={`findings-${g.kind}`}>
            <Group gap="xs" mb={6}>
              {editable && groupOpen.length > 0 && (
                <Checkbox aria-label={`Seleziona: ${FINDING_KIND_LABEL[g.kind]}`} checked={all} indeterminate={!all && groupOpen.some((id) => picked.has(id))} onChange={(e) => toggle(groupOpen, e.currentTarget.checked)} />
              )}
              <Text fw={600} size="sm">
                {FINDING_KIND_LABEL[g.kind] ?? g.kind}
              </Text>
              <Badge size="sm" variant="light" color={groupOpen.length ? 'orange' : 'green'}>
                {groupOpen.length ? `${groupOpen.length} da vedere` : 'visti'}
              </Badge>
            </Group>
            <Stack gap={4}>
              {g.rows.map((f) => (
                <Group key={f.id} gap="xs" wrap="nowrap" align="flex-start" data-testid="finding">
                  {editable && f.acknowledgedAt === null ? (
                    <Checkbox aria-label={f.message} checked={picked.has(f.id)} onChange={(e) => toggle([f.id], e.currentTarget.checked)} mt={2} />
                  ) : (
                    <IconCheck size={16} color="var(--mantine-color-green-7)" style={{ flexShrink: 0, marginTop: 2 }} />
                  )}
                  <Box style={{ minWidth: 0 }}>
                    <Text size="sm">{f.message}</Text>
                    {f.acknowledgedAt && (
                      <Text size="xs" c="dimmed">
                        Presa visione di {f.acknowledgedBy ?? '—'} il {formatMoment(f.acknowledgedAt)}: {f.acknowledgeReason}
                      </Text>
                    )}
                  </Box>
                </Group>
              ))}
            </Stack>
          </Paper>
        );
      })}
      {acknowledging && (
        <AcknowledgeModal
          ids={chosen}
          onClose={() => setAcknowledging(false)}
          onDone={async () => {
            setPicked(new Set());
            await onChanged();
          }}
        />
      )}
    </Stack>
  );
}

function AcknowledgeModal({ ids, onClose, onDone }: { ids: number[]; onClose: () => void; onDone: () => Promise<void> }) {
  const [reasons, setReasons] = useState<string[]>([]);
  const [other, setOther] = useState('');
  const reason = [...reasons, other.trim()].filter(Boolean).join('; ');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <FormModal dirty={reason !== ''} onClose={onClose} title={`Prendi visione di ${plural(ids.length, 'controllo', 'controlli')}`} size="lg">
      <Stack gap="sm">
        <Text size="sm">
          La presa visione resta nella distinta con il tuo nome, l&apos;ora e il motivo. Non cambia gli addebiti: se un controllo indica un errore (un pasto da stornare, un mandato
          mancante), correggere il dato e preparare di nuovo la distinta.
        </Text>
        <MultiSelect label="Motivo" placeholder={reasons.length ? undefined : 'Scegliere uno o più motivi'} data={[...ACK_REASONS]} value={reasons} onChange={setReasons} clearable comboboxProps={{ withinPortal: true }} />
        <TextInput label="Altro motivo o nota" placeholder="facoltativo" value={other} onChange={(e) => setOther(e.currentTarget.value)} />
        {error && (
          <Alert color="red" icon={<IconAlertTriangle />}>
            {error}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Annulla
          </Button>
          <Button
            disabled={reason.length < 3}
            loading={busy}
            onClick={() =>
              void (async () => {
                setBusy(true);
                setError(null);
                try {
                  const r = await call('sdd.batches.acknowledge', { findingIds: ids, reason });
                  notifySuccess(`${plural(r.acknowledged, 'controllo preso', 'controlli presi')} in visione`, 'Controlli della distinta');
                  await onDone();
                  onClose();
                } catch (err) {
                  setError(errorMessage(err));
                  notifyError(err);
                } finally {
                  setBusy(false);
                }
              })()
            }
          >
            Conferma la presa visione
          </Button>
        </Group>
      </Stack>
    </FormModal>
  );
}

/** "18 × 6,18 €" when every meal has the same price; otherwise the count and the total. */
function mealsText(d: Debit): string {
  if (d.mealCount > 0 && d.mealsCents % d.mealCount === 0) return `${d.mealCount} × ${formatCents(d.mealsCents / d.mealCount)}`;
  return `${plural(d.mealCount, 'pasto', 'pasti')} · ${formatCents(d.mealsCents)}`;
}

const INCLUDED_COLUMNS: Column<Debit>[] = [
  {
    key: 'pupil',
    header: 'Alunno',
    width: 190,
    render: (d) => (
      <>
        {d.pupilName}{' '}
        <Text span size="xs" c="dimmed">
          {d.pupilCode}
        </Text>
      </>
    ),
  },
  { key: 'payer', header: 'Pagante / intestatario', width: 190, render: (d) => (d.holderName && d.holderName.toLowerCase() !== d.payerName.toLowerCase() ? `${d.payerName} / ${d.holderName}` : d.payerName) },
  { key: 'meals', header: 'Pasti × prezzo', width: 140, align: 'right', render: mealsText },
  { key: 'commission', header: 'Commissione', width: 105, align: 'right', render: (d) => formatCents(d.commissionCents) },
  { key: 'amount', header: 'Importo', width: 105, align: 'right', render: (d) => <b>{formatCents(d.amountCents)}</b> },
  {
    key: 'mandate',
    header: 'Mandato',
    width: 190,
    render: (d) => (
      <>
        <span style={mono}>{d.umr}</span>{' '}
        <Text span size="xs" c="dimmed">
          {formatDate(d.mandateSignedOn)}
        </Text>
      </>
    ),
  },
  { key: 'iban', header: 'IBAN', width: 270, render: (d) => <span style={mono}>{d.iban ? formatIbanText(d.iban) : ''}</span> },
  {
    key: 'seq',
    header: 'Sequenza',
    width: 170,
    render: (d) => (
      <Group gap={4} wrap="nowrap">
        <Text size="sm">{d.sequenceType ? SEQUENCE_LABEL[d.sequenceType] ?? d.sequenceType : ''}</Text>
        {d.amendment && (
          <Badge size="xs" variant="light" color="blue" title="Il mandato è cambiato: l'addebito lo comunica alla banca">
            modifica
          </Badge>
        )}
        {d.returnCode && (
          <Badge size="xs" variant="light" color="red" title="Insoluto">
            insoluto {d.returnCode}
          </Badge>
        )}
      </Group>
    ),
  },
];

const EXCLUDED_COLUMNS: Column<Debit>[] = [
  INCLUDED_COLUMNS[0],
  { key: 'payer', header: 'Pagante', width: 190, render: (d) => d.payerName },
  { key: 'meals', header: 'Pasti', width: 140, align: 'right', render: mealsText },
  { key: 'reason', header: 'Motivo dell’esclusione', width: 520, wrap: true, render: (d) => <Text size="sm" c="orange.9">{d.exclusionReason}</Text> },
];

/** The debits of the batch, included or excluded, searched and paged on the backend. */
function DebitList({ batchId, included }: { batchId: number; included: boolean }) {
  const { search, setSearch, debounced } = useListControls({ sort: 'pupil', dir: 'asc' });
  const filters = useMemo(() => ({ batchId, included, search: debounced }), [batchId, included, debounced]);
  const list = usePagedList('sdd.batches.debits', filters);
  return (
    <Stack gap="xs" style={{ height: 'max(360px, calc(100dvh - 330px))' }}>
      <SearchField label="Cerca addebiti" placeholder="Alunno, pagante, intestatario, identificativo…" value={search} onChange={setSearch} w={360} />
      <PagedTable
        list={list}
        noun={included ? ['addebito', 'addebiti'] : ['escluso', 'esclusi']}
        testId={included ? 'debits-table' : 'excluded-table'}
        columns={included ? INCLUDED_COLUMNS : EXCLUDED_COLUMNS}
        rowKey={(d) => d.id}
        empty={debounced ? 'Nessun addebito corrisponde alla ricerca' : included ? 'Nessun addebito incluso' : 'Nessun alunno escluso'}
      />
    </Stack>
  );
}
