import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Badge, Button, Card, Group, Paper, Select, Stack, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCalendarPlus, IconCopy, IconFileImport, IconLock } from '@tabler/icons-react';
import { Calendar, type DateHeaderProps, type SlotInfo, type View } from 'react-big-calendar';
import type { ProcOutput } from '../api/client';
import { useQuery } from '../api/hooks';
import { DataTable } from '../components/data-table';
import { PageHeader } from '../components/page';
import { formatDate } from '../format/dates';
import { currentYear, romeToday, schoolOptions, useLookups, yearOptions } from '../master-data/lookups';
import { CALENDAR_BASE, addDaysIso, dateOf, isoOf, visibleRange } from './big-calendar';
import { ClosureForm, type ClosureDraft } from './closure-form';
import { ClosureCopy, ClosureDetail, ClosureImport } from './closure-dialogs';
import { ORIGIN_LABELS, closureTitle, scopeText, type Closure } from './labels';
import { weekdayShort } from '../../../electron/contract/vocabulary/weekdays';

type CalendarDay = ProcOutput<'calendar.get'>['days'][number];

interface CalEvent {
  id: string;
  title: string;
  start: Date;
  end: Date;
  allDay: true;
  type: 'closure' | 'class' | 'holiday';
  closure?: Closure;
}

const WEEK_MIN = new Date(1970, 0, 1, 8, 0);
const WEEK_MAX = new Date(1970, 0, 1, 16, 0);

/** Why a day has no service, in a few words ("Sabato", "Natale", "Sciopero"). */
function reasonText(day: CalendarDay): string {
  return day.reasons.map((r) => r.label).join('; ');
}

function dayClass(day: CalendarDay | undefined): string {
  if (!day) return '';
  if (!day.service) {
    if (day.reasons.some((r) => r.kind === 'chiusura')) return 'cal-day-closure';
    if (day.reasons.some((r) => r.kind === 'festivita')) return 'cal-day-holiday';
    return 'cal-day-off';
  }
  if (day.classExceptions.length) return 'cal-day-exception';
  return 'cal-day-service';
}

/**
 * The service calendar of a school (or of one of its classes) in a school year (A5, A7): service
 * days, public holidays, closures in red (not selectable), class exceptions ("Gita 3A"). Selecting
 * a range of days opens a new closure with the preview of the bookings it removes.
 */
export function CalendarPage() {
  const lookups = useLookups();
  const today = romeToday();
  const [yearId, setYearId] = useState<string | null>(null);
  const [schoolId, setSchoolId] = useState<string | null>(null);
  const [classId, setClassId] = useState<string | null>(null);
  const [view, setView] = useState<View>('month');
  const [date, setDate] = useState<Date>(dateOf(today));
  const [draft, setDraft] = useState<ClosureDraft | null>(null);
  const [detail, setDetail] = useState<Closure | null>(null);
  const [dialog, setDialog] = useState<'import' | 'copy' | null>(null);

  useEffect(() => {
    if (!yearId && lookups.schoolYears.length) {
      const y = currentYear(lookups.schoolYears, today);
      if (y) setYearId(String(y.id));
    }
    if (!schoolId && lookups.schools.length) setSchoolId(String(lookups.schools[0].id));
  }, [lookups.schoolYears, lookups.schools, yearId, schoolId, today]);

  const year = lookups.schoolYears.find((y) => String(y.id) === yearId) ?? null;
  const school = lookups.schools.find((s) => String(s.id) === schoolId) ?? null;
  const classes = useQuery('classes.list', school && year ? { schoolId: school.id, schoolYearId: year.id } : null);
  const cls = (classes.data ?? []).find((c) => String(c.id) === classId) ?? null;

  const range = visibleRange(view, date);
  const calendar = useQuery('calendar.get', school ? { schoolId: school.id, classId: cls?.id ?? null, from: range.from, to: range.to } : null);
  const closures = useQuery(
    'calendar.closures.list',
    school && year ? { schoolYearId: year.id, schoolId: school.id, classId: cls?.id, includeCancelled: true } : null,
  );
  const reload = () => {
    void calendar.reload();
    void closures.reload();
  };

  const days = useMemo(() => new Map((calendar.data?.days ?? []).map((d) => [d.date, d])), [calendar.data]);

  const events = useMemo((): CalEvent[] => {
    if (!calendar.data) return [];
    const out: CalEvent[] = [];
    for (const c of calendar.data.closures) {
      out.push({
        id: `c${c.id}`,
        title: closureTitle(c),
        start: dateOf(c.from),
        end: dateOf(addDaysIso(c.to, 1)),
        allDay: true,
        type: c.scope === 'classe' ? 'class' : 'closure',
        closure: c,
      });
    }
    for (const d of calendar.data.days) {
      if (d.holiday) out.push({ id: `h${d.date}`, title: d.holiday, start: dateOf(d.date), end: dateOf(addDaysIso(d.date, 1)), allDay: true, type: 'holiday' });
    }
    return out;
  }, [calendar.data]);

  function moveToYear(id: string | null) {
    setYearId(id);
    setClassId(null);
    const y = lookups.schoolYears.find((x) => String(x.id) === id);
    if (y) setDate(dateOf(y.startsOn <= today && today <= y.endsOn ? today : y.startsOn));
  }

  function onSelectSlot(slot: SlotInfo) {
    let dates = [...new Set(slot.slots.map(isoOf))].sort();
    if (view !== 'month' && dates.length === 0) dates = [isoOf(slot.start)];
    // A5: the red days cannot be chosen: the closure spans the service days of the selection
    const service = dates.filter((d) => days.get(d)?.service);
    if (!service.length) {
      const d = days.get(dates[0]);
      notifications.show({
        color: 'red',
        title: 'Giorno senza servizio',
        message: `${formatDate(dates[0])}${d ? `: ${reasonText(d)}` : ''}. I giorni in rosso o in grigio non si possono scegliere.`,
      });
      return;
    }
    setDraft({ from: service[0], to: service[service.length - 1], scope: cls ? 'classe' : 'scuola', classId: cls?.id ?? null });
  }

  const components = useMemo(
    () => ({
      month: {
        dateHeader: ({ date: d, label }: DateHeaderProps) => {
          const iso = isoOf(d);
          const info = days.get(iso);
          const tag: ReactNode = info?.dayClosed ? (
            <span className="cal-date-tag" title="Giornata chiusa: pasti registrati">
              <IconLock size={11} style={{ verticalAlign: -1 }} /> chiusa
            </span>
          ) : (
            <span />
          );
          return (
            <div className={`cal-date-header${info && !info.service ? ' cal-red' : ''}`} data-date={iso} data-service={info ? String(info.service) : undefined} title={info && !info.service ? reasonText(info) : undefined}>
              {tag}
              <span className="cal-date-num">{label}</span>
            </div>
          );
        },
      },
    }),
    [days],
  );

  const yearBounds = year ? { min: year.startsOn, max: year.endsOn } : null;
  const outsideYear = yearBounds && (range.to < yearBounds.min || range.from > yearBounds.max);

  return (
    <Stack gap="sm">
      <PageHeader
        title="Calendario del servizio"
        description="Giorni di servizio, festività e chiusure di una scuola o di una classe. Selezionare uno o più giorni per chiudere il servizio."
        actions={
          <>
            <Button variant="default" leftSection={<IconFileImport size={16} />} disabled={!school} onClick={() => setDialog('import')}>
              Importa da foglio
            </Button>
            <Button variant="default" leftSection={<IconCopy size={16} />} disabled={!year || !school} onClick={() => setDialog('copy')}>
              Copia dall'anno precedente
            </Button>
            <Button leftSection={<IconCalendarPlus size={16} />} disabled={!school} onClick={() => setDraft({ from: null, to: null, scope: cls ? 'classe' : 'scuola', classId: cls?.id ?? null })}>
              Nuova chiusura
            </Button>
          </>
        }
      />
      <Group gap="xs" align="flex-end">
        <Select label="Anno scolastico" data={yearOptions(lookups.schoolYears)} value={yearId} onChange={moveToYear} w={160} />
        <Select
          label="Scuola"
          searchable
          data={schoolOptions(lookups.schools)}
          value={schoolId}
          onChange={(v) => {
            setSchoolId(v);
            setClassId(null);
          }}
          w={320}
        />
        <Select
          label="Classe"
          placeholder="Tutta la scuola"
          clearable
          data={(classes.data ?? []).map((c) => ({ value: String(c.id), label: c.name }))}
          value={classId}
          onChange={setClassId}
          w={160}
        />
        {school && (
          <Text size="sm" c="dimmed" pb={6}>
            Comune di {school.municipalityName} · mensa il {school.serviceWeekdays.map((d) => weekdayShort(d).toLowerCase()).join(', ')}
          </Text>
        )}
      </Group>
      {outsideYear && (
        <Text size="sm" c="orange.8">
          Il periodo mostrato è fuori dall'anno scolastico {year?.label} ({formatDate(year?.startsOn)} – {formatDate(year?.endsOn)}).
        </Text>
      )}
      <Paper withBorder p="sm" radius="sm" data-testid="service-calendar">
        <Calendar<CalEvent>
          {...CALENDAR_BASE}
          events={events}
          views={['month', 'week', 'agenda']}
          view={view}
          onView={setView}
          date={date}
          onNavigate={(d) => setDate(d)}
          selectable
          onSelectSlot={onSelectSlot}
          onSelectEvent={(e) => e.closure && setDetail(e.closure)}
          dayPropGetter={(d) => ({ className: dayClass(days.get(isoOf(d))) })}
          eventPropGetter={(e) => ({
            style: {
              background: e.type === 'closure' ? 'var(--mantine-color-red-7)' : e.type === 'class' ? 'var(--mantine-color-orange-7)' : 'var(--mantine-color-red-4)',
              border: 0,
            },
          })}
          tooltipAccessor={(e) => (e.closure ? `${closureTitle(e.closure)} · ${scopeText(e.closure)}` : e.title)}
          components={components}
          min={WEEK_MIN}
          max={WEEK_MAX}
          popup
          style={{ height: view === 'month' ? 660 : 560 }}
        />
      </Paper>
      <Legend />
      <Card withBorder radius="sm" padding="sm">
        <Text fw={600} mb="xs">
          Chiusure dell'anno scolastico {year?.label ?? ''} {cls ? `(classe ${cls.name})` : school ? `(${school.name})` : ''}
        </Text>
        <DataTable
          testId="closures-table"
          rows={closures.data ?? []}
          rowKey={(c) => c.id}
          onRowClick={(c) => setDetail(c)}
          empty="Nessuna chiusura inserita"
          columns={[
            { header: 'Dal', width: 100, render: (c) => formatDate(c.from) },
            { header: 'Al', width: 100, render: (c) => formatDate(c.to) },
            { header: 'Giorni', width: 60, align: 'right', render: (c) => c.days },
            { header: 'Tipo', width: 170, render: (c) => c.kindLabel },
            { header: 'Riguarda', render: (c) => scopeText(c) },
            { header: 'Motivo', render: (c) => c.reason },
            { header: 'Origine', width: 170, render: (c) => ORIGIN_LABELS[c.origin] },
            {
              header: 'Stato',
              width: 130,
              render: (c) =>
                c.cancelledAt ? (
                  <Tooltip label={c.cancelReason ?? ''}>
                    <Badge color="gray" variant="light">
                      Annullata
                    </Badge>
                  </Tooltip>
                ) : (
                  <Badge color="red" variant="light">
                    In vigore
                  </Badge>
                ),
            },
          ]}
        />
      </Card>
      {draft && school && (
        <ClosureForm
          school={{ id: school.id, name: school.name, municipalityId: school.municipalityId, municipalityName: school.municipalityName }}
          classes={classes.data ?? []}
          draft={draft}
          onClose={() => setDraft(null)}
          onSaved={reload}
        />
      )}
      {detail && <ClosureDetail closure={detail} onClose={() => setDetail(null)} onChanged={reload} />}
      {dialog === 'import' && school && <ClosureImport municipalityId={school.municipalityId} onClose={() => setDialog(null)} onSaved={reload} />}
      {dialog === 'copy' && year && school && <ClosureCopy toYearId={year.id} municipalityId={school.municipalityId} onClose={() => setDialog(null)} onSaved={reload} />}
    </Stack>
  );
}

function Legend() {
  const item = (className: string, label: string) => (
    <Group gap={6} wrap="nowrap">
      <span className={`cal-swatch ${className}`} />
      <Text size="xs">{label}</Text>
    </Group>
  );
  return (
    <Group gap="lg" data-testid="calendar-legend">
      {item('cal-day-service', 'Giorno di servizio')}
      {item('cal-day-closure', 'Chiusura (servizio non erogato)')}
      {item('cal-day-holiday', 'Festività')}
      {item('cal-day-off', 'Senza mensa (sabato, domenica, giorni senza servizio, fuori anno)')}
      {item('cal-day-exception', 'Una classe non mangia (gita…)')}
      <Group gap={6} wrap="nowrap">
        <IconLock size={13} />
        <Text size="xs">Giornata chiusa: pasti registrati</Text>
      </Group>
    </Group>
  );
}
