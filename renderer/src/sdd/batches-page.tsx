import { useEffect, useMemo, useState } from 'react';
import { Button, Card, Group, Select, Stack, Text } from '@mantine/core';
import { MonthPickerInput } from '@mantine/dates';
import { IconCalendarDollar, IconFileInvoice } from '@tabler/icons-react';
import { call } from '../api/client';
import { notifySuccess, useQuery } from '../api/hooks';
import { DataTable, type SimpleColumn } from '../components/data-table';
import { DateField } from '../components/fields';
import { PageHeader } from '../components/page';
import { formatCents } from '../format/money';
import { formatDate, formatMoment } from '../format/dates';
import { romeToday } from '../master-data/lookups';
import { BatchPage, ConfirmAction, StatusBadge } from './batch-page';
import { BATCH_STATUS_LABEL, BATCH_STATUS_OPTIONS, monthTitle, plural, previousMonth, type BatchStatus, type SddBatch } from './labels';

/** The batch open on this screen: kept while the office moves to another page and back. */
let openBatch: number | null = null;

/**
 * Distinte SDD (P4): one batch per service and month of meals, prepared at the start of the next
 * month, checked, approved, sent to the bank and collected on its due date. This screen lists
 * them and prepares a new one; a click opens the batch (batch-page.tsx).
 */
export function BatchesPage() {
  const [open, setOpenState] = useState<number | null>(openBatch);
  const setOpen = (id: number | null) => {
    openBatch = id;
    setOpenState(id);
  };
  if (open !== null) return <BatchPage batchId={open} onBack={() => setOpen(null)} />;
  return <BatchList onOpen={setOpen} />;
}

function BatchList({ onOpen }: { onOpen: (id: number) => void }) {
  const [status, setStatus] = useState<string | null>(null);
  const list = useQuery('sdd.batches.list', { status: (status ?? undefined) as BatchStatus | undefined });
  const services = useQuery('ledger.services', {});
  const serviceName = (code: string) => services.data?.find((s) => s.code === code)?.name ?? code;

  const columns: SimpleColumn<SddBatch>[] = [
    { header: 'Mese dei pasti', render: (b) => <Text fw={600} size="sm">{monthTitle(b.month)}</Text> },
    { header: 'Servizio', render: (b) => serviceName(b.service) },
    { header: 'N.', width: 60, render: (b) => b.id },
    { header: 'Scadenza', width: 110, render: (b) => formatDate(b.dueDate) },
    { header: 'Stato', width: 170, render: (b) => <StatusBadge status={b.status} /> },
    { header: 'Addebiti', width: 90, align: 'right', render: (b) => b.debitCount },
    { header: 'Totale', width: 130, align: 'right', render: (b) => formatCents(b.totalCents) },
    { header: 'Esclusi', width: 80, align: 'right', render: (b) => (b.excludedCount ? <Text span c="orange.8" size="sm">{b.excludedCount}</Text> : 0) },
    { header: 'Preparata il', width: 170, render: (b) => formatMoment(b.preparedAt) },
  ];

  return (
    <Stack>
      <PageHeader title="Distinte SDD" description="Addebiti diretti del mese: preparazione, controlli, approvazione, file per la banca e incasso" />
      <PrepareForm list={list.data ?? []} serviceName={serviceName} services={services.data ?? []} onPrepared={onOpen} />
      <Group justify="space-between" align="flex-end">
        <Text fw={600}>Distinte</Text>
        <Select placeholder="Tutti gli stati" aria-label="Filtra per stato" clearable data={BATCH_STATUS_OPTIONS} value={status} onChange={setStatus} w={200} />
      </Group>
      <div style={{ overflowX: 'auto' }}>
        <DataTable
          testId="batches-table"
          rows={list.data ?? []}
          columns={columns}
          rowKey={(b) => b.id}
          onRowClick={(b) => onOpen(b.id)}
          empty={list.loading ? 'Caricamento…' : 'Nessuna distinta: prepararne una con il modulo qui sopra'}
        />
      </div>
    </Stack>
  );
}

function PrepareForm({
  list,
  services,
  serviceName,
  onPrepared,
}: {
  list: SddBatch[];
  services: { code: string; name: string; active: boolean }[];
  serviceName: (code: string) => string;
  onPrepared: (id: number) => void;
}) {
  // P4: in month M+1 the office prepares the batch of month M's meals
  const [month, setMonth] = useState(() => previousMonth(romeToday().slice(0, 7)));
  const [service, setService] = useState<string | null>('mensa');
  const [dueDate, setDueDate] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const proposal = useQuery('sdd.batches.defaultDueDate', { month });
  useEffect(() => {
    if (proposal.data) setDueDate(proposal.data.dueDate);
  }, [proposal.data]);

  const sameMonth = useMemo(() => list.filter((b) => b.month === month && b.service === service && b.status !== 'annullato'), [list, month, service]);
  const draft = sameMonth.find((b) => b.status === 'bozza');
  const locked = sameMonth.filter((b) => b.status !== 'bozza');
  const label = proposal.data?.monthLabel ?? month;
  const windowText =
    proposal.data && dueDate === proposal.data.dueDate
      ? `Finestra di presentazione alla banca: dal ${formatDate(proposal.data.earliest)} al ${formatDate(proposal.data.latest)}`
      : dueDate
        ? 'La banca deve ricevere il file nei 14 giorni prima della scadenza, entro il giorno lavorativo precedente'
        : ' ';

  return (
    <Card withBorder padding="md" data-testid="prepare-form">
      <Group align="flex-end" gap="md" wrap="wrap">
        <MonthPickerInput
          label="Mese dei pasti"
          valueFormat="MMMM YYYY"
          value={`${month}-01`}
          onChange={(v) => v && setMonth(String(v).slice(0, 7))}
          leftSection={<IconCalendarDollar size={16} />}
          w={200}
        />
        <Select
          label="Servizio"
          data={(services.length ? services.filter((s) => s.active) : [{ code: 'mensa', name: 'Mensa scolastica' }]).map((s) => ({ value: s.code, label: s.name }))}
          value={service}
          onChange={setService}
          allowDeselect={false}
          w={200}
        />
        <DateField label="Scadenza dell'addebito" value={dueDate} onChange={setDueDate} w={170} clearable={false} />
        <Button leftSection={<IconFileInvoice size={16} />} disabled={!service || !dueDate} onClick={() => setConfirming(true)}>
          {draft ? 'Prepara di nuovo la bozza' : 'Prepara distinta'}
        </Button>
      </Group>
      <Text size="sm" c="dimmed" mt="xs" data-testid="presentation-window">
        {windowText}
        {proposal.data && dueDate !== proposal.data.dueDate && (
          <> · scadenza proposta (ultimo giorno lavorativo interbancario del mese successivo): {formatDate(proposal.data.dueDate)}</>
        )}
      </Text>
      {confirming && service && dueDate && (
        <ConfirmAction
          title={`Prepara la distinta di ${label}`}
          confirmLabel={draft ? 'Prepara di nuovo' : 'Prepara'}
          onClose={() => setConfirming(false)}
          onConfirm={async () => {
            const b = await call('sdd.batches.prepare', { service, month, dueDate });
            notifySuccess(`${plural(b.debitCount, 'addebito', 'addebiti')} per ${formatCents(b.totalCents)}, ${plural(b.excludedCount, 'escluso', 'esclusi')}`, `Bozza della distinta di ${label}`);
            onPrepared(b.id);
          }}
        >
          <Text size="sm">
            Preparando, il programma calcola un addebito per ogni alunno con pagamento SDD e pasti registrati in {label} ({serviceName(service)}): pasti × tariffa più la commissione,
            con scadenza il {formatDate(dueDate)}. Gli alunni senza mandato valido sono esclusi con il motivo e i controlli segnalano ciò che va verificato.
          </Text>
          {draft && (
            <Text size="sm" mt="xs">
              La bozza n. {draft.id} già preparata viene ricalcolata; le prese visione dei controlli ancora validi restano.
            </Text>
          )}
          {locked.length > 0 && (
            <Text size="sm" mt="xs">
              Esiste già la distinta n. {locked.map((b) => `${b.id} (${BATCH_STATUS_LABEL[b.status]})`).join(', ')} per questo mese: gli alunni già addebitati saranno esclusi, nessuna famiglia paga due volte.
            </Text>
          )}
        </ConfirmAction>
      )}
    </Card>
  );
}
