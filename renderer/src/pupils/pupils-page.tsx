import { useMemo, useState } from 'react';
import { Group, Select } from '@mantine/core';
import type { ProcInput } from '../api/client';
import { usePagedList, useQuery, type RowOf } from '../api/hooks';
import { useChangeNotices } from '../api/notices';
import { AddButton } from '../components/add-button';
import { EmptyState } from '../components/empty-state';
import { ExportButton } from '../components/export-button';
import { SearchField, useListControls } from '../components/list-toolbar';
import { ListLayout, PageHeader } from '../components/page';
import { PagedTable } from '../components/paged-table';
import type { Column } from '../components/virtual-table';
import { formatDate } from '../format/dates';
import { formatCents } from '../format/money';
import { BalanceFilterSelect } from '../money/balance-filter';
import type { BalanceFilter } from '../money/labels';
import { MunicipalityFilter, SchoolFilter, SchoolYearFilter, useLookups } from '../master-data/lookups';
import { navigate } from '../app/router';
import { PupilForm } from './pupil-form';

type PupilRow = RowOf<'pupils.list'>;
type PupilSort = NonNullable<ProcInput<'pupils.list'>['sort']>;

const COLUMNS: Column<PupilRow>[] = [
  { key: 'name', header: 'Alunno', sortKey: 'lastName', width: '20%', render: (r) => `${r.lastName} ${r.firstName}` },
  { key: 'birthDate', header: 'Nato il', sortKey: 'birthDate', width: 110, render: (r) => formatDate(r.birthDate) },
  { key: 'taxCode', header: 'Codice fiscale', sortKey: 'taxCode', width: 180, render: (r) => <span style={{ fontFamily: 'var(--mantine-font-family-monospace)' }}>{r.taxCode}</span> },
  { key: 'userCode', header: 'Codice utente', sortKey: 'userCode', width: 130, render: (r) => r.userCode },
  { key: 'municipality', header: 'Comune', width: 130, render: (r) => r.municipalityName },
  { key: 'school', header: 'Scuola', sortKey: 'school', render: (r) => r.schoolName },
  { key: 'class', header: 'Classe', width: 110, render: (r) => r.className ?? '' },
  { key: 'balance', header: 'Saldo mensa', sortKey: 'balance', width: 120, align: 'right', render: (r) => <span style={{ color: r.balanceCents < 0 ? 'var(--mantine-color-red-7)' : undefined, fontVariantNumeric: 'tabular-nums' }}>{formatCents(r.balanceCents)}</span> },
];

export function PupilsPage() {
  const lookups = useLookups();
  const { search, setSearch, debounced, sort, setSort } = useListControls({ sort: 'lastName', dir: 'asc' });
  const [municipalityId, setMunicipalityId] = useState<string | null>(null);
  const [schoolId, setSchoolId] = useState<string | null>(null);
  const [schoolYearId, setSchoolYearId] = useState<string | null>(null);
  const [classId, setClassId] = useState<string | null>(null);
  const [balance, setBalance] = useState<BalanceFilter | null>(null);
  const [editing, setEditing] = useState<number | 'new' | null>(null);

  const filters = useMemo(
    () => ({
      search: debounced || undefined,
      municipalityId: municipalityId ? Number(municipalityId) : undefined,
      schoolId: schoolId ? Number(schoolId) : undefined,
      schoolYearId: schoolYearId ? Number(schoolYearId) : undefined,
      classId: classId ? Number(classId) : undefined,
      balance: balance ?? undefined,
      sort: sort.sort as PupilSort,
      sortDir: sort.dir,
    }),
    [debounced, municipalityId, schoolId, schoolYearId, classId, balance, sort],
  );
  const list = usePagedList('pupils.list', filters);
  useChangeNotices(['pupils', 'enrollments', 'ledger'], list.reload);
  const classes = useQuery('classes.list', schoolId ? { schoolId: Number(schoolId), schoolYearId: schoolYearId ? Number(schoolYearId) : undefined } : null);
  const yearLabel = (id: number) => lookups.schoolYears.find((y) => y.id === id)?.label ?? '';

  return (
    <ListLayout>
      <PageHeader
        title="Alunni"
        description="Ricerca per cognome, nome, codice fiscale o codice utente"
        actions={
          <>
            <ExportButton name="pupils.export" filters={filters} />
            <AddButton onClick={() => setEditing('new')}>Nuovo alunno</AddButton>
          </>
        }
      />
      <Group gap="xs" align="flex-end">
        <SearchField label="Cerca alunni" value={search} onChange={setSearch} w={260} />
        <MunicipalityFilter
          value={municipalityId}
          onChange={(v) => {
            setMunicipalityId(v);
            setSchoolId(null);
            setClassId(null);
          }}
          w={170}
        />
        <SchoolFilter
          municipalityId={municipalityId}
          value={schoolId}
          onChange={(v) => {
            setSchoolId(v);
            setClassId(null);
          }}
          w={260}
        />
        <SchoolYearFilter
          value={schoolYearId}
          onChange={(v) => {
            setSchoolYearId(v);
            setClassId(null);
          }}
          w={160}
        />
        <Select
          placeholder="Classe"
          title={schoolId ? undefined : 'Scegliere prima la scuola'}
          aria-label="Filtra per classe"
          clearable
          disabled={!schoolId}
          data={(classes.data ?? []).map((c) => ({ value: String(c.id), label: schoolYearId ? c.name : `${c.name} (${yearLabel(c.schoolYearId)})` }))}
          value={classId}
          onChange={setClassId}
          w={150}
        />
        <BalanceFilterSelect value={balance} onChange={setBalance} />
      </Group>
      <PagedTable
        list={list}
        noun={['alunno', 'alunni']}
        testId="pupils-table"
        columns={COLUMNS}
        sort={sort}
        onSort={setSort}
        rowKey={(r) => r.id}
        onRowClick={(r) => navigate(`/alunni/${r.id}`)}
        empty={
          <EmptyState
            filtered={Boolean(debounced || municipalityId || schoolId || schoolYearId || classId || balance)}
            nothing="Nessun alunno registrato"
            noMatch="Nessun alunno corrisponde ai filtri"
            hint="Registrare il primo alunno con «Nuovo alunno», oppure importare alunni, paganti e iscrizioni dal sistema precedente."
            newLabel="Inserisci il primo alunno"
            onNew={() => setEditing('new')}
            importLink
          />
        }
      />
      {editing !== null && <PupilForm pupilId={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={list.reload} />}
    </ListLayout>
  );
}
