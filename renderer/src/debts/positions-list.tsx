import { useMemo, useState } from 'react';
import { Badge, Group, Stack, Text } from '@mantine/core';
import { usePagedList, useDebounced, type RowOf } from '../api/hooks';
import { ChoiceFilter, SearchField } from '../components/list-toolbar';
import { PagedTable } from '../components/paged-table';
import type { Column } from '../components/virtual-table';
import { formatDate } from '../format/dates';
import { formatCents } from '../format/money';
import { DEBT_AGE_BAND_LABEL, DEBT_PLAN_STATUS_LABEL, openDebtFamily } from './labels';

type Row = RowOf<'debts.positions'>;
type Band = Row['ageBand'];

const BAND_OPTIONS = (Object.keys(DEBT_AGE_BAND_LABEL) as Band[]).map((value) => ({ value, label: DEBT_AGE_BAND_LABEL[value] }));
const BAND_COLOR: Record<Band, string> = { '0-30': 'gray', '31-90': 'orange', oltre_90: 'red' };

/** Every family with a debt today, the largest first: search by name or codice fiscale, filter by age. */
export function PositionsList({ municipalityId }: { municipalityId?: number }) {
  const [search, setSearch] = useState('');
  const [band, setBand] = useState<string | null>(null);
  const debounced = useDebounced(search.trim());
  const filters = useMemo(() => ({ municipalityId, ageBand: (band ?? undefined) as Band | undefined, search: debounced || undefined }), [municipalityId, band, debounced]);
  const list = usePagedList('debts.positions', filters);

  const columns: Column<Row>[] = [
    {
      key: 'family',
      header: 'Famiglia',
      render: (r) => (
        <>
          {r.payerName}{' '}
          <Text span size="xs" c="dimmed" ff="monospace">
            {r.payerTaxCode}
          </Text>
        </>
      ),
    },
    { key: 'municipality', header: 'Comune', width: 140, render: (r) => r.municipalityName },
    { key: 'owed', header: 'Debito', width: 110, align: 'right', render: (r) => formatCents(r.owedCents) },
    { key: 'meals', header: 'Pasti', width: 70, align: 'right', render: (r) => r.meals || '' },
    {
      key: 'age',
      header: 'Non pagato dal',
      width: 190,
      render: (r) => (
        <Group gap={6} wrap="nowrap">
          {formatDate(r.oldestUnpaidOn)}
          <Badge size="sm" variant="light" color={BAND_COLOR[r.ageBand]}>
            {DEBT_AGE_BAND_LABEL[r.ageBand]}
          </Badge>
        </Group>
      ),
    },
    { key: 'last', header: 'Ultimo passo', width: 230, render: (r) => (r.lastStepName ? `${r.lastStepName} · ${formatDate(r.lastStepOn)}` : '') },
    {
      key: 'notes',
      header: 'Note',
      width: 190,
      render: (r) => (
        <Group gap={4} wrap="nowrap">
          {r.exempt && (
            <Badge size="sm" variant="light" color="violet">
              Esente
            </Badge>
          )}
          {r.plan && (
            <Badge size="sm" variant="light" color={r.plan.status === 'non_rispettato' ? 'red' : 'teal'}>
              Piano: {DEBT_PLAN_STATUS_LABEL[r.plan.status].toLowerCase()}
            </Badge>
          )}
        </Group>
      ),
    },
  ];

  return (
    <Stack gap="xs" style={{ height: 'max(360px, calc(100dvh - 360px))' }}>
      <Group gap="sm">
        <SearchField label="Cerca famiglia" placeholder="Cognome, nome o codice fiscale del pagante" value={search} onChange={setSearch} w={340} />
        <ChoiceFilter placeholder="Qualsiasi età del debito" label="Filtra per età del debito" data={BAND_OPTIONS} value={band} onChange={setBand} w={220} />
      </Group>
      <PagedTable
        list={list}
        noun={['famiglia con debito', 'famiglie con debito']}
        testId="debts-positions"
        columns={columns}
        rowKey={(r) => `${r.payerId}/${r.municipalityId}`}
        onRowClick={(r) => openDebtFamily({ payerId: r.payerId, municipalityId: r.municipalityId, label: `${r.payerName} · ${r.payerTaxCode}` })}
        empty="Nessuna famiglia con debito"
      />
    </Stack>
  );
}
