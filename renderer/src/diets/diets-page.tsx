import { useState } from 'react';
import { Badge, Group, Select, Stack, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useDebounced, useQuery } from '../api/hooks';
import { EmptyState } from '../components/empty-state';
import { AddButton } from '../components/add-button';
import { DataTable } from '../components/data-table';
import { PageHeader, TotalLine } from '../components/page';
import { formatDate } from '../format/dates';
import { SchoolFilter, useLookups, yearOptions } from '../master-data/lookups';
import { useYearChoice } from './year-choice';
import { CATEGORY_LABELS, options, STATUS_LABELS, type DietCategory, type DietRequest, type DietStatus } from './labels';
import { RequestDetail, StatusBadge } from './request-detail';
import { FormDrawer } from '../components/form-dialog';
import { RequestForm } from './request-form';

/**
 * The special-diet requests (DI1–DI6): filters by school year, state, type, school and pupil;
 * «Nuova richiesta» records what a family sent; a row opens the request with its attachments and
 * its decision.
 */
export function DietsPage() {
  const lookups = useLookups();
  const [year, setYear] = useYearChoice();
  const [status, setStatus] = useState<string | null>(null);
  const [category, setCategory] = useState<string | null>(null);
  const [school, setSchool] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const debounced = useDebounced(search, 250);
  const [creating, setCreating] = useState(false);
  const [selected, setSelected] = useState<number | null>(null);
  const [detailDirty, setDetailDirty] = useState(false);
  const list = useQuery('diets.list', {
    schoolYearId: year ? Number(year) : undefined,
    status: (status ?? undefined) as DietStatus | undefined,
    category: (category ?? undefined) as DietCategory | undefined,
    schoolId: school ? Number(school) : undefined,
    search: debounced.trim() || undefined,
  });
  const rows = list.data ?? [];

  return (
    <Stack gap="sm">
      <PageHeader
        title="Diete speciali"
        description="Richieste delle famiglie per anno scolastico: le diete mediche con il certificato, approvate da un supervisore; le etico-religiose dall'ufficio"
        actions={<AddButton onClick={() => setCreating(true)}>Nuova richiesta</AddButton>}
      />
      <Group gap="xs">
        <TextInput placeholder="Cerca alunno o codice fiscale" leftSection={<IconSearch size={16} />} value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={260} aria-label="Cerca alunno" />
        <Select placeholder="Anno scolastico" aria-label="Filtra per anno scolastico" clearable data={yearOptions(lookups.schoolYears)} value={year} onChange={setYear} w={160} />
        <Select placeholder="Stato" aria-label="Filtra per stato" clearable data={options(STATUS_LABELS)} value={status} onChange={setStatus} w={150} />
        <Select placeholder="Tipo" aria-label="Filtra per tipo" clearable data={options(CATEGORY_LABELS)} value={category} onChange={setCategory} w={170} />
        <SchoolFilter value={school} onChange={setSchool} w={220} municipalityId={null} />
      </Group>
      <TotalLine total={rows.length} loading={list.loading} noun={['richiesta', 'richieste']} />
      <DataTable<DietRequest>
        testId="diets-table"
        rows={rows}
        rowKey={(r) => r.id}
        onRowClick={(r) => setSelected(r.id)}
        empty={
          <EmptyState
            filtered={Boolean(debounced.trim() || status || category || school)}
            nothing={year ? 'Nessuna richiesta di dieta in questo anno scolastico' : 'Nessuna richiesta di dieta registrata'}
            noMatch="Nessuna richiesta con questi filtri"
            hint="Registrare la richiesta di una famiglia con «Nuova richiesta»: una dieta medica con il suo certificato."
            newLabel="Inserisci la prima richiesta"
            onNew={() => setCreating(true)}
          />
        }
        columns={[
          { header: 'Alunno', render: (r) => r.pupilName },
          { header: 'Scuola e classe', render: (r) => `${r.schoolName ?? ''} ${r.className ?? ''}` },
          { header: 'Anno', width: 90, render: (r) => r.schoolYearLabel },
          { header: 'Tipo', width: 120, render: (r) => CATEGORY_LABELS[r.category] },
          { header: 'Diete', render: (r) => r.diets.join(', ') },
          { header: 'Ricevuta', width: 100, render: (r) => formatDate(r.receivedOn) },
          { header: 'Valida fino al', width: 110, render: (r) => (r.status === 'approvata' ? formatDate(r.validTo) : '') },
          {
            header: 'Stato',
            width: 140,
            render: (r) => (
              <Group gap={4}>
                <StatusBadge status={r.status} />
                {r.category === 'medica' && r.attachments === 0 && <Badge color="red" variant="outline" size="xs">senza certificato</Badge>}
              </Group>
            ),
          },
        ]}
      />
      <RequestForm opened={creating} onClose={() => setCreating(false)} onSaved={(id) => { void list.reload(); setSelected(id); }} />
      <FormDrawer
        opened={selected !== null}
        dirty={detailDirty}
        onClose={() => {
          setSelected(null);
          setDetailDirty(false);
        }}
        position="right"
        size="xl"
        title="Richiesta di dieta speciale"
      >
        {selected !== null && <RequestDetail id={selected} onChanged={() => void list.reload()} onDirty={setDetailDirty} viewerHeight={480} />}
      </FormDrawer>
    </Stack>
  );
}
