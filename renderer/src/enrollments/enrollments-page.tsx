import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Badge, Button, Group, Select, Stack, Text } from '@mantine/core';
import { IconCopy } from '@tabler/icons-react';
import { call, type ProcInput, type ProcOutput } from '../api/client';
import { usePagedList, type RowOf } from '../api/hooks';
import { useChangeNotices } from '../api/notices';
import { routeQuery } from '../app/router';
import { AddButton } from '../components/add-button';
import { EmptyState } from '../components/empty-state';
import { ExportButton } from '../components/export-button';
import { useForm, givenId } from '../components/form';
import { ChoiceFilter, SearchField, useListControls } from '../components/list-toolbar';
import { ListLayout, PageHeader } from '../components/page';
import { PagedTable } from '../components/paged-table';
import type { Column } from '../components/virtual-table';
import { formatDate, formatWeekdays } from '../format/dates';
import { currentYear, MunicipalityFilter, romeToday, SchoolFilter, SchoolYearFilter, useLookups, yearOptions } from '../master-data/lookups';
import { EnrollmentDrawer } from './enrollment-drawer';
import { EnrollmentForm } from './enrollment-form';
import { PAYMENT_LABEL, STATUS_COLOR, STATUS_LABEL } from './labels';
import { FormModal } from '../components/form-dialog';

type Row = RowOf<'enrollments.list'>;
type EnrollmentSort = NonNullable<ProcInput<'enrollments.list'>['sort']>;
type Status = NonNullable<ProcInput<'enrollments.list'>['status']>;
type Payment = NonNullable<ProcInput<'enrollments.list'>['paymentMethod']>;

const COLUMNS: Column<Row>[] = [
  { key: 'pupil', header: 'Alunno', sortKey: 'pupil', render: (r) => r.pupilName },
  { key: 'userCode', header: 'Cod. utente', width: 100, render: (r) => r.userCode },
  { key: 'year', header: 'Anno', width: 100, render: (r) => r.schoolYearLabel },
  { key: 'school', header: 'Scuola', sortKey: 'school', render: (r) => `${r.schoolName}${r.className ? ` · ${r.className}` : ''}` },
  { key: 'days', header: 'Giorni', width: 170, render: (r) => formatWeekdays(r.weekdays) },
  { key: 'payment', header: 'Pagamento', width: 100, render: (r) => PAYMENT_LABEL[r.paymentMethod] },
  {
    key: 'status',
    header: 'Stato',
    sortKey: 'status',
    width: 100,
    render: (r) => (
      <Badge size="sm" variant="light" color={STATUS_COLOR[r.status]}>
        {STATUS_LABEL[r.status]}
      </Badge>
    ),
  },
  { key: 'start', header: 'Dal', width: 95, render: (r) => formatDate(r.startsOn) },
  { key: 'payer', header: 'Pagante', sortKey: 'payer', render: (r) => r.payerName },
];

/** E2: last year's enrollments copied into the new year as prefilled drafts. */
function RenewModal({ onClose, onDone }: { onClose: () => void; onDone: (toYearId: number) => void }) {
  const lookups = useLookups();
  const years = lookups.schoolYears;
  const cur = currentYear(years, romeToday());
  const idx = cur ? years.findIndex((y) => y.id === cur.id) : -1;
  const form = useForm({
    from: (idx >= 0 ? String(years[idx].id) : null),
    to: (idx >= 0 && years[idx + 1] ? String(years[idx + 1].id) : null),
  });
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ProcOutput<'enrollments.renew'> | null>(null);
  const label = (id: string | null) => years.find((y) => String(y.id) === id)?.label ?? '';

  async function renew() {
    setBusy(true);
    try {
      const out = await call('enrollments.renew', { fromSchoolYearId: givenId(form.values.from), toSchoolYearId: givenId(form.values.to) });
      setResult(out);
      onDone(Number(form.values.to));
    } catch (err) {
      form.showError(err, { fromSchoolYearId: 'from', toSchoolYearId: 'to' });
    } finally {
      setBusy(false);
    }
  }

  return (
    <FormModal dirty={form.dirty && result === null} onClose={onClose} title="Rinnova iscrizioni" centered>
      {result ? (
        <Stack>
          <Alert color="green" title={`Rinnovo ${label(form.values.from)} → ${label(form.values.to)} completato`} data-testid="renew-result">
            <Text size="sm">
              Iscrizioni create in bozza: <b data-testid="renew-created">{result.created}</b>
            </Text>
            <Text size="sm">
              Alunni già iscritti, saltati: <b data-testid="renew-skipped">{result.skipped}</b>
            </Text>
          </Alert>
          {result.blocked.length > 0 && (
            // D2: the municipality refuses next year's enrollment to families with debts (a supervisor may waive it from «Sospensioni»)
            <Alert color="orange" title={`Iscrizioni non rinnovate per debiti: ${result.blocked.length}`} data-testid="renew-blocked">
              <Stack gap={4}>
                {result.blocked.map((b) => (
                  <Text size="sm" key={b.enrollmentId}>
                    <b>{b.pupilName}</b>: {b.message}
                  </Text>
                ))}
              </Stack>
            </Alert>
          )}
          <Text size="sm" c="dimmed">
            Le famiglie verificano i dati precompilati; l'ufficio attiva ogni bozza dalla sua scheda.
          </Text>
          <Group justify="flex-end">
            <Button onClick={onClose}>Chiudi</Button>
          </Group>
        </Stack>
      ) : (
        <Stack>
          <Text size="sm">
            Copia nel nuovo anno le iscrizioni non ritirate, come bozze precompilate con lo stesso pagante, giorni e modalità di pagamento; la classe passa
            all'anno successivo (3A → 4A) dove esiste.
          </Text>
          <Select label="Dall'anno scolastico" withAsterisk data={yearOptions(years)} value={form.values.from} onChange={(v) => form.set('from', v)} error={form.errors.from} />
          <Select label="All'anno scolastico" withAsterisk data={yearOptions(years)} value={form.values.to} onChange={(v) => form.set('to', v)} error={form.errors.to} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Annulla
            </Button>
            <Button loading={busy} onClick={() => void renew()}>
              Rinnova
            </Button>
          </Group>
        </Stack>
      )}
    </FormModal>
  );
}

export function EnrollmentsPage() {
  const lookups = useLookups();
  const { search, setSearch, debounced, sort, setSort } = useListControls({ sort: 'pupil', dir: 'asc' });
  const [schoolYearId, setSchoolYearId] = useState<string | null>(() => currentYear(lookups.schoolYears, romeToday())?.id.toString() ?? null);
  // opened before the school years arrived (a reload on this page): start from the current year once they do
  const yearChosen = useRef(lookups.loaded);
  useEffect(() => {
    if (yearChosen.current || !lookups.loaded) return;
    yearChosen.current = true;
    setSchoolYearId(currentYear(lookups.schoolYears, romeToday())?.id.toString() ?? null);
  }, [lookups.loaded, lookups.schoolYears]);
  const [municipalityId, setMunicipalityId] = useState<string | null>(null);
  const [schoolId, setSchoolId] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(() => routeQuery('stato'));
  const [payment, setPayment] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [renewing, setRenewing] = useState(false);
  const [openId, setOpenId] = useState<number | null>(null);

  const filters = useMemo(
    () => ({
      search: debounced || undefined,
      schoolYearId: schoolYearId ? Number(schoolYearId) : undefined,
      municipalityId: municipalityId ? Number(municipalityId) : undefined,
      schoolId: schoolId ? Number(schoolId) : undefined,
      status: (status ?? undefined) as Status | undefined,
      paymentMethod: (payment ?? undefined) as Payment | undefined,
      sort: sort.sort as EnrollmentSort,
      sortDir: sort.dir,
    }),
    [debounced, schoolYearId, municipalityId, schoolId, status, payment, sort],
  );
  const list = usePagedList('enrollments.list', filters);
  useChangeNotices(['enrollments', 'pupils', 'payers'], list.reload);
  const closeDrawer = useCallback(() => setOpenId(null), []);

  return (
    <ListLayout>
      <PageHeader
        title="Iscrizioni"
        description="Iscrizioni al servizio mensa per anno scolastico"
        actions={
          <>
            <ExportButton name="enrollments.export" filters={filters} />
            <Button variant="default" leftSection={<IconCopy size={16} />} onClick={() => setRenewing(true)}>
              Rinnova iscrizioni
            </Button>
            <AddButton onClick={() => setCreating(true)}>Nuova iscrizione</AddButton>
          </>
        }
      />
      <Group gap="xs">
        <SearchField label="Cerca iscrizioni" placeholder="Cerca alunno…" value={search} onChange={setSearch} w={220} />
        <SchoolYearFilter value={schoolYearId} onChange={setSchoolYearId} w={150} />
        <MunicipalityFilter
          value={municipalityId}
          onChange={(v) => {
            setMunicipalityId(v);
            setSchoolId(null);
          }}
          w={150}
        />
        <SchoolFilter municipalityId={municipalityId} value={schoolId} onChange={setSchoolId} w={240} />
        <ChoiceFilter
          placeholder="Stato"
          label="Filtra per stato"
          data={Object.entries(STATUS_LABEL).map(([value, label]) => ({ value, label }))}
          value={status}
          onChange={setStatus}
          w={130}
        />
        <ChoiceFilter
          placeholder="Pagamento"
          label="Filtra per modalità di pagamento"
          data={Object.entries(PAYMENT_LABEL).map(([value, label]) => ({ value, label }))}
          value={payment}
          onChange={setPayment}
          w={140}
        />
      </Group>
      <PagedTable
        list={list}
        noun={['iscrizione', 'iscrizioni']}
        testId="enrollments-table"
        columns={COLUMNS}
        sort={sort}
        onSort={setSort}
        rowKey={(r) => r.id}
        onRowClick={(r) => setOpenId(r.id)}
        empty={
          <EmptyState
            filtered={Boolean(debounced || municipalityId || schoolId || status || payment)}
            nothing={schoolYearId ? 'Nessuna iscrizione in questo anno scolastico' : 'Nessuna iscrizione registrata'}
            noMatch="Nessuna iscrizione corrisponde ai filtri"
            hint="Iscrivere un alunno con «Nuova iscrizione», rinnovare le iscrizioni dell'anno precedente, oppure importarle dal sistema precedente."
            newLabel="Inserisci la prima iscrizione"
            onNew={() => setCreating(true)}
            importLink
          />
        }
      />
      {creating && <EnrollmentForm enrollment={null} onClose={() => setCreating(false)} onSaved={() => list.reload()} />}
      {renewing && (
        <RenewModal
          onClose={() => setRenewing(false)}
          onDone={(to) => {
            setSchoolYearId(String(to));
            list.reload();
          }}
        />
      )}
      {openId !== null && <EnrollmentDrawer id={openId} onClose={closeDrawer} onChanged={list.reload} />}
    </ListLayout>
  );
}
