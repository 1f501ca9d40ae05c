import { useMemo, useState } from 'react';
import { Badge, Button, Card, Grid, Group, Paper, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { IconFileCertificate } from '@tabler/icons-react';
import { Calendar, type DateHeaderProps, type SlotInfo } from 'react-big-calendar';
import dayjs from 'dayjs';
import type { ProcOutput } from '../api/client';
import { notifyError, notifySuccess, useQuery } from '../api/hooks';
import { useChangeNotices } from '../api/notices';
import { ExportButton } from '../components/export-button';
import { PageHeader } from '../components/page';
import { RemoteSelect } from '../components/remote-select';
import { searchPupils } from '../enrollments/enrollment-form';
import { formatDate, formatMoment } from '../format/dates';
import { romeToday, useLookups } from '../master-data/lookups';
import { navigate } from '../app/router';
import { CALENDAR_BASE, addDaysIso, dateOf, isoOf, visibleRange } from '../calendar/big-calendar';
import { PresenceActions, sendRequest, useDayClosed } from './presence-actions';
import { PlainMealSetting } from './plain-meal-setting';
import { PLAIN_LOOK, SOURCE_OPTIONS, STATUS_LOOK, type HistoryDay } from './labels';
import { useSelectedPupil } from './selected-pupil';
import { countFormat, plural } from '../format/words';

interface DayEvent {
  title: string;
  start: Date;
  end: Date;
  allDay: true;
  day: HistoryDay;
  color: string;
}

function lookOf(d: HistoryDay) {
  if (d.plain && d.charged) return PLAIN_LOOK;
  return STATUS_LOOK[d.status];
}

function dayTooltip(d: HistoryDay): string {
  const parts = [d.label];
  if (d.plain) parts.push('in bianco');
  if (d.noService) parts.push(d.noService);
  if (d.correction) parts.push(`rettifica: ${d.correction.present ? 'presente' : 'assente'} (${d.correction.reason})`);
  if (d.attempts) parts.push(`${plural(d.attempts, 'richiesta', 'richieste')} della famiglia`);
  return parts.join(' · ');
}

const fmt = countFormat;

/**
 * A pupil's presences (A8): the month calendar of booked, cancelled, late-cancelled, plain,
 * closed and absent days with the month summary, and the family's requests recorded by the
 * office (A2-A4, A6). Clicking a day picks it for the requests.
 */
export function PresencePage() {
  const [pupil, onPupil] = useSelectedPupil();
  const lookups = useLookups();
  const today = romeToday();
  const [date, setDate] = useState<Date>(dateOf(today));
  const [picked, setPicked] = useState<string | null>(today);
  const pupilId = pupil ? Number(pupil.value) : null;

  const range = visibleRange('month', date);
  const detail = useQuery('pupils.get', pupilId ? { id: pupilId } : null);
  const history = useQuery('attendance.history', pupilId ? { pupilId, from: range.from, to: range.to } : null);
  const absences = useQuery('attendance.absences', pupilId ? { pupilId } : null);
  const settings = useQuery('attendance.settings', {});
  const reload = () => {
    void history.reload();
    void absences.reload();
  };
  // a request or a day close made in another window (or by the program at the cutoff)
  useChangeNotices(['attendance', 'ledger'], reload);

  const days = useMemo(() => new Map((history.data?.days ?? []).map((d) => [d.date, d])), [history.data]);
  const events = useMemo(
    (): DayEvent[] =>
      (history.data?.days ?? []).flatMap((d) => {
        const look = lookOf(d);
        if (!look) return [];
        const title = `${look.short}${d.correction ? ' ✎' : ''}`;
        return [{ title, start: dateOf(d.date), end: dateOf(addDaysIso(d.date, 1)), allDay: true as const, day: d, color: look.color }];
      }),
    [history.data],
  );

  const monthKey = dayjs(date).format('YYYY-MM');
  const month = history.data?.months.find((m) => m.month === monthKey) ?? null;
  const shownDate = isoOf(date);
  const year = lookups.schoolYears.find((y) => y.startsOn <= shownDate && shownDate <= y.endsOn) ?? null;

  const components = useMemo(
    () => ({
      month: {
        dateHeader: ({ date: d, label }: DateHeaderProps) => {
          const iso = isoOf(d);
          const info = days.get(iso);
          return (
            <div
              className={`cal-date-header${info?.status === 'non_servizio' || info?.status === 'chiuso' ? ' cal-red' : ''}`}
              data-date={iso}
              data-status={info?.status}
              title={info ? dayTooltip(info) : undefined}
            >
              <span className="cal-date-tag">{info?.noService && info.status === 'non_servizio' && info.weekday < 6 ? info.noService : ''}</span>
              <span className="cal-date-num">{label}</span>
            </div>
          );
        },
      },
    }),
    [days],
  );

  return (
    <Stack gap="sm">
      <PageHeader
        title="Presenze e disdette"
        description="Storico delle presenze di un alunno e richieste delle famiglie: disdette, assenze prolungate, pasti in bianco, disdette telefoniche"
        actions={
          pupilId ? (
            <>
              <Button variant="default" leftSection={<IconFileCertificate size={16} />} onClick={() => navigate('/prova-disdette')}>
                Prova delle disdette
              </Button>
              <ExportButton
                name="attendance.historyExport"
                filters={{ pupilId, from: year ? year.startsOn : range.from, to: year ? year.endsOn : range.to }}
              />
            </>
          ) : undefined
        }
      />
      <Group align="flex-end" gap="md">
        <RemoteSelect label="Alunno" placeholder="Cercare per cognome, nome, codice fiscale o codice utente" value={pupil} onChange={onPupil} search={searchPupils} w={520} />
        {detail.data && (
          <Text size="sm" c="dimmed" pb={6} data-testid="pupil-summary">
            Codice utente {detail.data.userCode} · {detail.data.schoolName}
            {detail.data.className ? `, classe ${detail.data.className}` : ''} · Comune di {detail.data.municipalityName}
          </Text>
        )}
      </Group>
      {!pupilId && (
        <Card withBorder>
          <Text c="dimmed" size="sm">
            Scegliere un alunno per vederne le presenze e registrare le richieste della famiglia.
          </Text>
        </Card>
      )}
      {pupilId && (
        <Grid gutter="md">
          <Grid.Col span={{ base: 12, lg: 7 }}>
            <Stack gap="sm">
              <Paper withBorder p="sm" radius="sm" data-testid="presence-calendar">
                <Calendar<DayEvent>
                  {...CALENDAR_BASE}
                  events={events}
                  views={['month']}
                  view="month"
                  onView={() => undefined}
                  date={date}
                  onNavigate={(d) => setDate(d)}
                  selectable
                  onSelectSlot={(s: SlotInfo) => setPicked(isoOf(s.start))}
                  onSelectEvent={(e) => setPicked(e.day.date)}
                  tooltipAccessor={(e) => dayTooltip(e.day)}
                  dayPropGetter={(d) => {
                    const iso = isoOf(d);
                    const info = days.get(iso);
                    const cls = info?.status === 'chiuso' ? 'cal-day-closure' : info?.status === 'non_servizio' ? (info.weekday >= 6 ? 'cal-day-off' : 'cal-day-holiday') : '';
                    return { className: cls, style: iso === picked ? { boxShadow: 'inset 0 0 0 2px var(--mantine-color-blue-5)' } : undefined };
                  }}
                  eventPropGetter={(e) => ({ style: { background: e.color, border: 0 } })}
                  components={components}
                  style={{ height: 560 }}
                />
              </Paper>
              <PresenceLegend />
              <Card withBorder padding="sm" radius="sm" data-testid="month-summary">
                <Text fw={600} mb={6}>
                  Riepilogo di {dayjs(date).format('MMMM YYYY')}
                </Text>
                {month ? (
                  <SimpleGrid cols={4} spacing="xs">
                    <Stat label="Giorni di servizio" value={month.serviceDays} id="serviceDays" />
                    <Stat label="Pasti addebitati" value={month.meals} id="meals" />
                    <Stat label="di cui in bianco" value={month.plain} id="plain" />
                    <Stat label="Disdetti" value={month.cancelled} id="cancelled" />
                    <Stat label="Disdette tardive" value={month.lateCancelled} id="lateCancelled" />
                    <Stat label="Assenza prolungata" value={month.absent} id="absent" />
                    <Stat label="Chiusure" value={month.closed} id="closed" />
                    <Stat label="Rettifiche" value={month.corrected} id="corrected" />
                    {month.toClose > 0 && <Stat label="Da chiudere (non addebitati)" value={month.toClose} id="toClose" />}
                  </SimpleGrid>
                ) : (
                  <Text size="sm" c="dimmed">
                    Nessun dato per il mese.
                  </Text>
                )}
              </Card>
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 5 }}>
            <Stack gap="sm">
              <Card withBorder padding="sm" radius="sm">
                <Text fw={600} mb={4}>
                  Richiesta della famiglia
                </Text>
                {picked && days.get(picked) && (
                  <Text size="xs" c="dimmed" mb={4} data-testid="picked-day">
                    {formatDate(picked)}: {dayTooltip(days.get(picked)!)}
                  </Text>
                )}
                <PresenceActions pupilId={pupilId} date={picked} plainLimit={settings.data?.plainMealMaxDays ?? null} onDone={(r) => {
                    reload();
                    // show the month of the day the request was about (e.g. where a phone cancellation landed)
                    if (r.date && !(r.date >= range.from && r.date <= range.to)) setDate(dateOf(r.date));
                  }}
                />
              </Card>
              <Card withBorder padding="sm" radius="sm">
                <Text fw={600} mb={4}>
                  Disdette e assenze in vigore
                </Text>
                <ActiveAbsences pupilId={pupilId} rows={absences.data ?? []} onChanged={reload} />
              </Card>
              <PlainMealSetting value={settings.data?.plainMealMaxDays ?? null} version={settings.data?.version ?? 0} onSaved={() => void settings.reload()} />
            </Stack>
          </Grid.Col>
        </Grid>
      )}
    </Stack>
  );
}

function Stat({ label, value, id }: { label: string; value: number; id: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} fz="lg" data-testid={`month-${id}`}>
        {fmt.format(value)}
      </Text>
    </div>
  );
}

function PresenceLegend() {
  const items = [
    STATUS_LOOK.prenotato!,
    STATUS_LOOK.consumato!,
    PLAIN_LOOK,
    STATUS_LOOK.disdetto!,
    STATUS_LOOK.disdetta_tardiva!,
    STATUS_LOOK.assente!,
    STATUS_LOOK.rettificato_assente!,
    STATUS_LOOK.chiuso!,
    STATUS_LOOK.non_fruito!,
  ];
  return (
    <Group gap="md" data-testid="presence-legend">
      {items.map((i) => (
        <Group key={i.legend} gap={6} wrap="nowrap">
          <span className="cal-swatch" style={{ background: i.color, borderColor: i.color }} />
          <Text size="xs">{i.legend}</Text>
        </Group>
      ))}
      <Group gap={6} wrap="nowrap">
        <span className="cal-swatch cal-day-holiday" />
        <Text size="xs">Festività / senza servizio</Text>
      </Group>
      <Text size="xs">✎ = presenza rettificata</Text>
    </Group>
  );
}

type Absence = ProcOutput<'attendance.absences'>[number];

const KIND_LABEL: Record<Absence['kind'], string> = { giorno: 'Disdetta', prolungata: 'Assenza prolungata', in_bianco: 'Pasto in bianco' };

/** What is in force for the pupil: cancellations, the prolonged absence, plain meals; each can be undone from here. */
function ActiveAbsences({ pupilId, rows, onChanged }: { pupilId: number; rows: Absence[]; onChanged(): void }) {
  const [busy, setBusy] = useState<number | null>(null);
  const today = romeToday();
  const shown = rows.filter((a) => a.kind === 'prolungata' || a.date >= today);
  // today's day already closed: its cancellation is part of the closed day (a correction changes it now)
  const todayClosed = useDayClosed(pupilId, shown.some((a) => a.kind !== 'prolungata' && a.date === today) ? today : null) === true;

  async function undo(a: Absence) {
    setBusy(a.id);
    try {
      const r =
        a.kind === 'giorno'
          ? await sendRequest(pupilId, { action: 'undoCancel', date: a.date, source: 'ufficio' })
          : await sendRequest(pupilId, { action: 'plainOff', date: a.date, source: 'ufficio' });
      if (r.accepted) notifySuccess(r.message);
      else notifyError(new Error(r.message), 'Richiesta non accettata');
      onChanged();
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(null);
    }
  }

  if (shown.length === 0)
    return (
      <Text size="sm" c="dimmed">
        Nessuna disdetta o assenza da oggi in poi.
      </Text>
    );
  return (
    <Table fz="xs" verticalSpacing={4} data-testid="active-absences">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Tipo</Table.Th>
          <Table.Th>Giorno</Table.Th>
          <Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {shown.map((a) => (
          <Table.Tr key={a.id}>
            <Table.Td>
              {KIND_LABEL[a.kind]}
              {a.overrideReason && (
                <Badge ml={4} size="xs" color="teal" variant="light">
                  deroga
                </Badge>
              )}
            </Table.Td>
            <Table.Td>
              {a.kind === 'prolungata' ? `dal ${formatDate(a.date)}${a.reactivatedOn ? `, riattivato dal ${formatDate(a.reactivatedOn)}` : ''}` : formatDate(a.date)}
              <Text size="xs" c="dimmed">
                {SOURCE_OPTIONS.find((s) => s.value === a.source)?.label}, {formatMoment(a.actedAt)}
              </Text>
            </Table.Td>
            <Table.Td ta="right">
              {a.kind !== 'prolungata' && a.date === today && todayClosed ? (
                <Text size="xs" c="dimmed" title="La giornata è chiusa: la presenza si cambia con una rettifica">
                  giornata chiusa
                </Text>
              ) : (
                a.kind !== 'prolungata' && (
                  <Button size="compact-xs" variant="subtle" color="red" loading={busy === a.id} onClick={() => void undo(a)}>
                    Annulla
                  </Button>
                )
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
