import { useState } from 'react';
import { Alert, Badge, Group, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { useQuery } from '../api/hooks';
import { DataTable } from '../components/data-table';
import { PageHeader, TotalLine } from '../components/page';
import { formatDate } from '../format/dates';
import { useLookups, yearOptions } from '../master-data/lookups';
import { ExportButton } from '../components/export-button';
import { useYearChoice } from './year-choice';
import { CATEGORY_LABELS } from './labels';

type Row = NonNullable<ReturnType<typeof useQuery<'diets.renewals'>>['data']>['rows'][number];

const RENEWAL: Record<Row['renewalStatus'], { label: string; color: string }> = {
  mancante: { label: 'Nessuna richiesta', color: 'red' },
  in_attesa: { label: 'Richiesta in attesa', color: 'orange' },
  respinta: { label: 'Richiesta respinta', color: 'red' },
  revocata: { label: 'Revocata', color: 'gray' },
};

/**
 * DI1 at the start of a school year: last year's diets that nobody has renewed yet. Nothing carries
 * over; until the renewal deadline the kitchen still sees them, marked «da rinnovare», then they
 * leave the kitchen report. The families to remind, with their contacts, exportable.
 */
export function RenewalsPage() {
  const lookups = useLookups();
  const [year, setYear] = useYearChoice();
  const [only, setOnly] = useState<'da_avvisare' | 'tutte'>('da_avvisare');
  const { data, loading } = useQuery('diets.renewals', year ? { schoolYearId: Number(year) } : null);
  const rows = (data?.rows ?? []).filter((r) => only === 'tutte' || (r.enrolled && r.renewalStatus !== 'in_attesa'));
  return (
    <Stack gap="sm">
      <PageHeader
        title="Rinnovo diete"
        description="Diete dell'anno precedente non ancora rinnovate: ogni anno la famiglia ripresenta la richiesta, con i documenti (DI1)"
        actions={year ? <ExportButton name="diets.renewalsExport" filters={{ schoolYearId: Number(year) }} /> : null}
      />
      <Group>
        <Select label="Anno scolastico" data={yearOptions(lookups.schoolYears)} value={year} onChange={setYear} w={170} allowDeselect={false} />
        <SegmentedControl
          data={[
            { value: 'da_avvisare', label: 'Famiglie da avvisare' },
            { value: 'tutte', label: 'Tutte' },
          ]}
          value={only}
          onChange={(v) => setOnly(v as typeof only)}
          mt={24}
        />
      </Group>
      {data && (
        <Alert color={data.deadlinePassed ? 'red' : 'blue'} variant="light" data-testid="renewal-deadline">
          <Text size="sm">
            Scadenza del rinnovo per il {data.schoolYearLabel}: <b>{formatDate(data.deadline)}</b>.{' '}
            {data.deadlinePassed
              ? 'Scaduta: le diete non rinnovate non sono più nel riepilogo della cucina.'
              : 'Fino a quella data le diete non ancora rinnovate restano nel riepilogo della cucina, segnate «da rinnovare».'}
            {data.previousYearLabel ? '' : " Nessun anno precedente: niente da rinnovare."}
          </Text>
        </Alert>
      )}
      <TotalLine total={rows.length} loading={loading} noun={['dieta', 'diete']} />
      <DataTable<Row>
        testId="renewals-table"
        rows={rows}
        rowKey={(r) => `${r.pupilId}-${r.category}`}
        empty="Nessuna dieta da rinnovare"
        columns={[
          { header: 'Alunno', render: (r) => r.pupilName },
          { header: 'Scuola e classe', render: (r) => `${r.schoolName ?? ''} ${r.className ?? ''}` },
          { header: 'Tipo', width: 120, render: (r) => CATEGORY_LABELS[r.category] },
          { header: `Dieta ${data?.previousYearLabel ?? ''}`, render: (r) => r.previousDiets },
          { header: 'Stato', width: 160, render: (r) => <Badge color={RENEWAL[r.renewalStatus].color} variant="light">{RENEWAL[r.renewalStatus].label}</Badge> },
          { header: 'Pagante', render: (r) => r.payerName ?? '' },
          { header: 'Contatti', render: (r) => [r.payerEmail, r.payerMobile].filter(Boolean).join(' · ') },
          { header: 'Iscritto', width: 70, render: (r) => (r.enrolled ? 'sì' : 'no') },
        ]}
      />
    </Stack>
  );
}
