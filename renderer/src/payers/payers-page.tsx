import { useMemo, useState } from 'react';
import { Badge, Button, Group, Select, TextInput } from '@mantine/core';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import type { ProcInput } from '../api/client';
import { useDebounced, usePagedList, type RowOf } from '../api/hooks';
import { ExportButton } from '../components/export-button';
import { ListLayout, PageHeader, TotalLine } from '../components/page';
import { VirtualTable, type Column, type SortState } from '../components/virtual-table';
import { formatIbanText } from './iban';
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
];

export function PayersPage() {
  const [search, setSearch] = useState('');
  const [hasIban, setHasIban] = useState<string | null>(null);
  const [sort, setSort] = useState<SortState>({ sort: 'lastName', dir: 'asc' });
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const debounced = useDebounced(search.trim());
  const filters = useMemo(
    () => ({
      search: debounced || undefined,
      hasIban: hasIban === null ? undefined : hasIban === 'si',
      sort: sort.sort as PayerSort,
      sortDir: sort.dir,
    }),
    [debounced, hasIban, sort],
  );
  const list = usePagedList('payers.list', filters);

  return (
    <ListLayout>
      <PageHeader
        title="Paganti"
        description="Genitori e tutori che pagano il servizio: ricerca per nome, codice fiscale, e-mail"
        actions={
          <>
            <ExportButton name="payers.export" filters={filters} />
            <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
              Nuovo pagante
            </Button>
          </>
        }
      />
      <Group gap="xs">
        <TextInput placeholder="Cerca…" aria-label="Cerca paganti" leftSection={<IconSearch size={16} />} value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={260} />
        <Select
          placeholder="Conto per SDD"
          aria-label="Filtra per IBAN"
          clearable
          data={[
            { value: 'si', label: 'Con IBAN' },
            { value: 'no', label: 'Senza IBAN' },
          ]}
          value={hasIban}
          onChange={setHasIban}
          w={170}
        />
      </Group>
      <VirtualTable
        testId="payers-table"
        columns={COLUMNS}
        source={list.source}
        sort={sort}
        onSort={setSort}
        rowKey={(r) => r.id}
        onRowClick={(r) => setEditing(r.id)}
        empty="Nessun pagante corrisponde ai filtri"
      />
      <TotalLine total={list.total} loading={list.loading} noun={['pagante', 'paganti']} />
      {editing !== null && <PayerForm payerId={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={() => list.reload()} />}
    </ListLayout>
  );
}
