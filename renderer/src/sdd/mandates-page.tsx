import { useMemo, useState } from 'react';
import { Badge, CloseButton, Group } from '@mantine/core';
import type { ProcInput } from '../api/client';
import { usePagedList, type RowOf } from '../api/hooks';
import { EmptyState } from '../components/empty-state';
import { AddButton } from '../components/add-button';
import { ExportButton } from '../components/export-button';
import { ChoiceFilter, SearchField, useListControls } from '../components/list-toolbar';
import { ListLayout, PageHeader } from '../components/page';
import { PagedTable } from '../components/paged-table';
import type { Column } from '../components/virtual-table';
import { formatDate } from '../format/dates';
import { formatIbanText } from '../payers/iban';
import type { RemoteOption } from '../components/remote-select';
import { MandateForm } from './mandate-form';
import { MANDATE_STATUS_COLOR, MANDATE_STATUS_LABEL, MandateDrawer } from './mandate-drawer';
import { takePayerForMandates } from './mandate-payer';

type MandateRow = RowOf<'sdd.mandates.list'>;
type MandateSort = NonNullable<ProcInput<'sdd.mandates.list'>['sort']>;
type Status = NonNullable<ProcInput<'sdd.mandates.list'>['status']>;

const mono = { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } as const;

const STATUS_CHOICES = [
  { value: 'attivo', label: 'Attivi' },
  { value: 'revocato', label: 'Revocati' },
];
const BLOCKED_CHOICES = [
  { value: 'si', label: 'Bloccati da un insoluto' },
  { value: 'no', label: 'Non bloccati' },
];

const COLUMNS: Column<MandateRow>[] = [
  { key: 'payer', header: 'Pagante', sortKey: 'payer', width: '18%', render: (r) => r.payerName },
  { key: 'umr', header: 'Codice mandato', sortKey: 'umr', width: 150, render: (r) => <span style={mono}>{r.umr}</span> },
  { key: 'signedOn', header: 'Firmato il', sortKey: 'signedOn', width: 110, render: (r) => formatDate(r.signedOn) },
  { key: 'iban', header: 'IBAN', render: (r) => <span style={mono}>{formatIbanText(r.iban)}</span> },
  { key: 'holder', header: 'Intestatario', width: '16%', render: (r) => r.holderName },
  {
    key: 'status',
    header: 'Stato',
    width: 190,
    render: (r) => (
      <Group gap={4} wrap="nowrap">
        <Badge size="sm" variant="light" color={MANDATE_STATUS_COLOR[r.status]}>
          {MANDATE_STATUS_LABEL[r.status]}
        </Badge>
        {r.blockedAt && (
          <Badge size="sm" variant="light" color="red">
            bloccato
          </Badge>
        )}
        {r.unreportedAmendments > 0 && r.status === 'attivo' && (
          <Badge size="sm" variant="light" color="blue">
            modificato
          </Badge>
        )}
      </Group>
    ),
  },
];

/**
 * Mandati SDD (P5): the payers' signed mandates, their account and holder, what changed and what
 * the next collection must tell the bank. One active mandate per payer.
 */
export function MandatesPage() {
  const { search, setSearch, debounced, sort, setSort } = useListControls({ sort: 'payer', dir: 'asc' });
  const [payer, setPayer] = useState<RemoteOption | null>(() => takePayerForMandates());
  const [status, setStatus] = useState<string | null>(payer ? null : 'attivo');
  const [blocked, setBlocked] = useState<string | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  const filters = useMemo(
    () => ({
      search: debounced || undefined,
      status: (status ?? undefined) as Status | undefined,
      blocked: blocked === null ? undefined : blocked === 'si',
      payerId: payer ? Number(payer.value) : undefined,
      sort: sort.sort as MandateSort,
      sortDir: sort.dir,
    }),
    [debounced, status, blocked, payer, sort],
  );
  const list = usePagedList('sdd.mandates.list', filters);

  return (
    <ListLayout>
      <PageHeader
        title="Mandati SDD"
        description="Mandati di addebito diretto firmati dalle famiglie: IBAN, intestatario, modifiche da comunicare alla banca"
        actions={
          <>
            <ExportButton name="sdd.mandates.export" filters={filters} />
            <AddButton onClick={() => setCreating(true)}>Nuovo mandato</AddButton>
          </>
        }
      />
      <Group gap="xs">
        <SearchField label="Cerca mandati" placeholder="Pagante, codice mandato, IBAN…" value={search} onChange={setSearch} w={280} />
        <ChoiceFilter placeholder="Stato" label="Filtra per stato" data={STATUS_CHOICES} value={status} onChange={setStatus} w={140} />
        <ChoiceFilter placeholder="Blocco" label="Filtra per blocco" data={BLOCKED_CHOICES} value={blocked} onChange={setBlocked} w={220} />
        {payer && (
          <Badge size="lg" variant="light" rightSection={<CloseButton size="xs" aria-label="Tutti i paganti" onClick={() => setPayer(null)} />} data-testid="mandates-payer-filter">
            {payer.label}
          </Badge>
        )}
      </Group>
      <PagedTable
        list={list}
        noun={['mandato', 'mandati']}
        testId="mandates-table"
        columns={COLUMNS}
        sort={sort}
        onSort={setSort}
        rowKey={(r) => r.id}
        onRowClick={(r) => setOpen(r.id)}
        empty={
          payer ? (
            'Il pagante non ha mandati: registrarne uno con «Nuovo mandato»'
          ) : (
            <EmptyState
              filtered={Boolean(debounced || blocked || (status && status !== 'attivo'))}
              nothing={status === 'attivo' ? 'Nessun mandato attivo' : 'Nessun mandato registrato'}
              noMatch="Nessun mandato corrisponde ai filtri"
              hint="Registrare il mandato firmato da un pagante con «Nuovo mandato»."
              newLabel="Inserisci il primo mandato"
              onNew={() => setCreating(true)}
            />
          )
        }
      />
      {open !== null && <MandateDrawer id={open} onClose={() => setOpen(null)} onChanged={() => list.reload()} />}
      {creating && (
        <MandateForm
          payer={payer}
          onClose={() => setCreating(false)}
          onSaved={(m) => {
            list.reload();
            setOpen(m.id);
          }}
        />
      )}
    </ListLayout>
  );
}
