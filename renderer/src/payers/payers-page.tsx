import { useMemo, useState } from 'react';
import { Badge, CloseButton, Group } from '@mantine/core';
import type { ProcInput } from '../api/client';
import { usePagedList, type RowOf } from '../api/hooks';
import { useChangeNotices } from '../api/notices';
import { AddButton } from '../components/add-button';
import { EmptyState } from '../components/empty-state';
import { ExportButton } from '../components/export-button';
import { ChoiceFilter, SearchField, useListControls } from '../components/list-toolbar';
import { ListLayout, PageHeader } from '../components/page';
import { PagedTable } from '../components/paged-table';
import type { Column } from '../components/virtual-table';
import { formatIbanText } from './iban';
import { formatCents } from '../format/money';
import { BalanceFilterSelect } from '../money/balance-filter';
import type { BalanceFilter } from '../money/labels';
import { navigate, routeQuery } from '../app/router';
import { PayerForm } from './payer-form';

type PayerRow = RowOf<'payers.list'>;
type PayerSort = NonNullable<ProcInput<'payers.list'>['sort']>;

const COLUMNS: Column<PayerRow>[] = [
  { key: 'name', header: 'Pagante', sortKey: 'lastName', width: '18%', render: (r) => `${r.lastName} ${r.firstName}` },
  { key: 'taxCode', header: 'Codice fiscale', sortKey: 'taxCode', width: 180, render: (r) => <span style={{ fontFamily: 'var(--mantine-font-family-monospace)' }}>{r.taxCode}</span> },
  { key: 'email', header: 'E-mail', width: '18%', render: (r) => r.email },
  { key: 'mobile', header: 'Cellulare', width: 130, render: (r) => r.mobile },
  { key: 'town', header: 'Comune', sortKey: 'town', width: 140, render: (r) => (r.province ? `${r.town} (${r.province})` : r.town) },
  {
    key: 'iban',
    header: 'IBAN',
    render: (r) =>
      r.iban ? (
        <span style={{ fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 }}>{formatIbanText(r.iban)}</span>
      ) : (
        <Badge size="sm" variant="light" color="gray">
          nessuno
        </Badge>
      ),
  },
  { key: 'pupils', header: 'Alunni', width: 70, align: 'right', render: (r) => r.pupils },
  { key: 'balance', header: 'Saldo mensa', sortKey: 'balance', width: 120, align: 'right', render: (r) => <span style={{ color: r.balanceCents < 0 ? 'var(--mantine-color-red-7)' : undefined, fontVariantNumeric: 'tabular-nums' }}>{formatCents(r.balanceCents)}</span> },
];

export function PayersPage() {
  const { search, setSearch, debounced, sort, setSort } = useListControls({ sort: 'lastName', dir: 'asc' });
  const [hasIban, setHasIban] = useState<string | null>(null);
  const [balance, setBalance] = useState<BalanceFilter | null>(null);
  // P5, from the dashboard's «paganti SDD senza mandato» (#/paganti?sdd-senza-mandato=<school year id>)
  const [withoutMandateYear, setWithoutMandateYear] = useState<number | null>(() => {
    const v = Number(routeQuery('sdd-senza-mandato'));
    return Number.isInteger(v) && v > 0 ? v : null;
  });
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const filters = useMemo(
    () => ({
      search: debounced || undefined,
      hasIban: hasIban === null ? undefined : hasIban === 'si',
      balance: balance ?? undefined,
      sddWithoutMandateYearId: withoutMandateYear ?? undefined,
      sort: sort.sort as PayerSort,
      sortDir: sort.dir,
    }),
    [debounced, hasIban, balance, withoutMandateYear, sort],
  );
  const list = usePagedList('payers.list', filters);
  useChangeNotices(['payers', 'ledger', 'sdd'], list.reload);

  return (
    <ListLayout>
      <PageHeader
        title="Paganti"
        description="Genitori e tutori che pagano il servizio: ricerca per nome, codice fiscale, e-mail"
        actions={
          <>
            <ExportButton name="payers.export" filters={filters} />
            <AddButton onClick={() => setEditing('new')}>Nuovo pagante</AddButton>
          </>
        }
      />
      <Group gap="xs">
        <SearchField label="Cerca paganti" value={search} onChange={setSearch} w={260} />
        <ChoiceFilter
          placeholder="Conto per SDD"
          label="Filtra per IBAN"
          data={[
            { value: 'si', label: 'Con IBAN' },
            { value: 'no', label: 'Senza IBAN' },
          ]}
          value={hasIban}
          onChange={setHasIban}
          w={170}
        />
        <BalanceFilterSelect value={balance} onChange={setBalance} />
        {withoutMandateYear !== null && (
          <Badge
            size="lg"
            variant="light"
            color="orange"
            rightSection={<CloseButton size="xs" aria-label="Tutti i paganti" onClick={() => setWithoutMandateYear(null)} />}
            data-testid="payers-sdd-filter"
          >
            Iscritti SDD senza mandato attivo
          </Badge>
        )}
      </Group>
      <PagedTable
        list={list}
        noun={['pagante', 'paganti']}
        testId="payers-table"
        columns={COLUMNS}
        sort={sort}
        onSort={setSort}
        rowKey={(r) => r.id}
        onRowClick={(r) => navigate(`/paganti/${r.id}`)}
        empty={
          <EmptyState
            filtered={Boolean(debounced || hasIban || balance || withoutMandateYear)}
            nothing="Nessun pagante registrato"
            noMatch="Nessun pagante corrisponde ai filtri"
            hint="Registrare il primo pagante con «Nuovo pagante», oppure importare alunni, paganti e iscrizioni dal sistema precedente."
            newLabel="Inserisci il primo pagante"
            onNew={() => setEditing('new')}
            importLink
          />
        }
      />
      {editing !== null && <PayerForm payerId={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={() => list.reload()} />}
    </ListLayout>
  );
}
