import { useEffect, useState, type ReactNode } from 'react';
import { Alert, Button, Group, Select, Stack, Tabs, Text } from '@mantine/core';
import dayjs from 'dayjs';
import { IconBowl, IconCalendarMinus, IconPhone, IconPlayerPause } from '@tabler/icons-react';
import { call } from '../api/client';
import { useQuery } from '../api/hooks';
import { formatDate } from '../format/dates';
import { notifyError } from '../api/hooks';
import { useSession } from '../auth/session';
import { DateField } from '../components/fields';
import { ActedAtFields, NO_BACKDATE, RequestResultView, romeMoment, type SupervisorFields } from './request-result';
import { SOURCE_OPTIONS, type RequestResult, type Source } from './labels';

export type PresenceAction = 'cancelDay' | 'undoCancel' | 'startProlonged' | 'reactivate' | 'plainOn' | 'plainOff' | 'phoneCancel' | 'phoneUndo';

interface Request {
  action: PresenceAction;
  date: string | null;
  source: Source;
  actedAt?: string;
}

/** Sends one family request to the backend; `override` only when a supervisor accepts a late one. */
export async function sendRequest(pupilId: number, r: Request, override?: { reason: string }): Promise<RequestResult> {
  const common = { source: r.source, actedAt: r.actedAt, override };
  const date = r.date ?? '';
  switch (r.action) {
    case 'cancelDay':
      return call('attendance.cancelDay', { pupilId, date, ...common });
    case 'undoCancel':
      return call('attendance.undoCancel', { pupilId, date, ...common });
    case 'startProlonged':
      return call('attendance.startProlonged', { pupilId, from: date, ...common });
    case 'reactivate':
      return call('attendance.reactivate', { pupilId, from: date, ...common });
    case 'plainOn':
      return call('attendance.plainMeal', { pupilId, date, plain: true, ...common });
    case 'plainOff':
      return call('attendance.plainMeal', { pupilId, date, plain: false, ...common });
    case 'phoneCancel':
      return call('attendance.phoneCancel', { pupilId, actedAt: r.actedAt });
    case 'phoneUndo':
      return call('attendance.phoneUndo', { pupilId, actedAt: r.actedAt });
  }
}

/** 'lunedì 16/11/2026' */
function dayName(date: string): string {
  return `${dayjs(date).format('dddd')} ${formatDate(date)}`;
}

/**
 * A6, before the button is pressed: the day a phone cancellation made now lands on (today before
 * the cutoff, else the next service day of the pupil), asked of the backend's own rule; or why it
 * would be refused. Asked again every minute, so the cutoff passing shows.
 */
function PhoneLanding({ pupilId, version }: { pupilId: number; version: number }) {
  const landing = useQuery('attendance.phoneLanding', { pupilId });
  const { reload } = landing;
  useEffect(() => {
    const t = setInterval(() => void reload(), 60_000);
    return () => clearInterval(t);
  }, [reload]);
  useEffect(() => {
    if (version) void reload();
  }, [version, reload]);
  if (!landing.data) return null;
  return landing.data.date ? (
    <Alert color="blue" py={6} data-testid="phone-landing">
      <Text size="sm">
        Una disdetta telefonica adesso vale per <b>{dayName(landing.data.date)}</b>.
      </Text>
    </Alert>
  ) : (
    <Alert color="orange" py={6} data-testid="phone-landing">
      <Text size="sm">Adesso la disdetta telefonica non si accetta: {landing.data.refusal}</Text>
    </Alert>
  );
}

/** Whether the pupil's day is already closed (a supervisor's override no longer applies then). */
export function useDayClosed(pupilId: number, date: string | null): boolean | null {
  const day = useQuery('attendance.history', date ? { pupilId, from: date, to: date } : null);
  return date ? (day.data?.days[0]?.dayClosed ?? null) : null;
}

/**
 * The office records what a family asked (A2-A4, A6): cancel a day (also a future one), undo it,
 * a prolonged absence and the reactivation, a plain meal, a phone cancellation. The backend
 * judges the cutoff on the moment the family acted and answers in Italian; refusals are shown,
 * never hidden.
 */
export function PresenceActions({ pupilId, date, plainLimit, onDone }: { pupilId: number; date: string | null; plainLimit: number | null; onDone(result: RequestResult): void }) {
  const session = useSession();
  const supervisor = session.can('supervisore');
  const [tab, setTab] = useState<string | null>('disdetta');
  const [day, setDay] = useState<string | null>(date);
  const [source, setSource] = useState<Source>('ufficio');
  const [sup, setSup] = useState<SupervisorFields>(NO_BACKDATE);
  const [busy, setBusy] = useState<PresenceAction | null>(null);
  const [last, setLast] = useState<{ request: Request; result: RequestResult } | null>(null);
  const [dayError, setDayError] = useState<string | undefined>();
  const [done, setDone] = useState(0);
  const lateDate = last?.result.outcome === 'tardiva' ? last.result.date ?? last.request.date : null;
  const lateDayClosed = useDayClosed(pupilId, lateDate);

  useEffect(() => {
    if (date) setDay(date);
  }, [date]);
  useEffect(() => {
    setLast(null);
  }, [pupilId]);

  function actedAt(): string | undefined | false {
    if (!supervisor || !sup.backdate) return undefined;
    const m = sup.actedOn ? romeMoment(sup.actedOn, sup.actedTime) : null;
    if (!m) {
      notifyError(new Error('Indicare giorno e ora (hh:mm) in cui la famiglia ha fatto la richiesta'), 'Dati incompleti');
      return false;
    }
    return m;
  }

  async function run(action: PresenceAction, override?: { reason: string }, previous?: Request) {
    const needsDay = action !== 'phoneCancel' && action !== 'phoneUndo';
    let request: Request;
    if (previous) request = previous;
    else {
      if (needsDay && !day) {
        setDayError('Indicare il giorno');
        return;
      }
      const at = actedAt();
      if (at === false) return;
      request = { action, date: needsDay ? day : null, source: action.startsWith('phone') ? 'telefono' : source, actedAt: at };
    }
    setDayError(undefined);
    setBusy(action);
    try {
      const result = await sendRequest(pupilId, request, override);
      setLast({ request, result });
      setDone((n) => n + 1);
      onDone(result);
    } catch (err) {
      notifyError(err, 'Richiesta non registrata');
    } finally {
      setBusy(null);
    }
  }

  const dayField = (label: string) => <DateField label={label} value={day} onChange={setDay} error={dayError} clearable={false} />;
  const sourceField = (
    <Select label="Canale della richiesta" data={SOURCE_OPTIONS} value={source} onChange={(v) => v && setSource(v as Source)} />
  );
  const btn = (action: PresenceAction, label: string, color?: string, variant: 'filled' | 'light' | 'default' = 'filled') => (
    <Button size="sm" color={color} variant={variant} loading={busy === action} disabled={busy !== null && busy !== action} onClick={() => void run(action)}>
      {label}
    </Button>
  );

  /** One tab of requests: what it does, the day and channel when it asks for them, its buttons. */
  const panel = (value: string, hint: ReactNode, dayLabel: string | null, buttons: ReactNode, extra?: ReactNode) => (
    <Tabs.Panel value={value} pt="sm">
      <Stack gap="xs">
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
        {extra}
        {dayLabel && (
          <Group grow align="flex-start">
            {dayField(dayLabel)}
            {sourceField}
          </Group>
        )}
        <Group gap="xs">{buttons}</Group>
      </Stack>
    </Tabs.Panel>
  );

  return (
    <Stack gap="sm" data-testid="presence-actions">
      <Tabs value={tab} onChange={(t) => { setTab(t); setLast(null); }} keepMounted={false}>
        <Tabs.List grow style={{ flexWrap: 'nowrap' }}>
          <Tabs.Tab value="disdetta" leftSection={<IconCalendarMinus size={14} />} px={6}>
            Disdetta
          </Tabs.Tab>
          <Tabs.Tab value="prolungata" leftSection={<IconPlayerPause size={14} />} px={6}>
            Prolungata
          </Tabs.Tab>
          <Tabs.Tab value="bianco" leftSection={<IconBowl size={14} />} px={6}>
            In bianco
          </Tabs.Tab>
          <Tabs.Tab value="telefono" leftSection={<IconPhone size={14} />} px={6}>
            Telefono
          </Tabs.Tab>
        </Tabs.List>

        {panel(
          'disdetta',
          "Si può disdire qualunque giorno futuro, fino all'orario limite di quel giorno. I giorni senza servizio non si possono disdire.",
          'Giorno',
          <>
            {btn('cancelDay', 'Disdici il pasto', 'red')}
            {btn('undoCancel', 'Annulla la disdetta', undefined, 'default')}
          </>,
        )}
        {panel(
          'prolungata',
          "Dal giorno indicato l'alunno non è prenotato finché non viene riattivato: la riattivazione è obbligatoria per tornare a mangiare.",
          'Dal giorno',
          <>
            {btn('startProlonged', 'Inizia assenza prolungata', 'violet')}
            {btn('reactivate', 'Riattiva dal giorno', 'green', 'light')}
          </>,
        )}
        {panel(
          'bianco',
          <>
            Pasto leggero per il giorno indicato.
            {plainLimit !== null && ` Senza certificato medico al massimo ${plainLimit} ${plainLimit === 1 ? 'giorno consecutivo' : 'giorni consecutivi'}: oltre, l'ufficio viene avvisato.`}
          </>,
          'Giorno',
          <>
            {btn('plainOn', 'Pasto in bianco', 'cyan')}
            {btn('plainOff', 'Togli pasto in bianco', undefined, 'default')}
          </>,
        )}
        {panel(
          'telefono',
          "Per telefono la disdetta si accetta dalle 18:00 del giorno prima fino all'orario limite e vale per il primo giorno utile del calendario, saltando fine settimana, festività e chiusure. Si annulla per telefono solo una disdetta telefonica.",
          null,
          <>
            {btn('phoneCancel', 'Disdetta telefonica', 'red')}
            {btn('phoneUndo', 'Annulla disdetta telefonica', undefined, 'default')}
          </>,
          <PhoneLanding pupilId={pupilId} version={done} />,
        )}
      </Tabs>

      {supervisor && <ActedAtFields value={sup} onChange={setSup} />}

      {last && (
        <RequestResultView
          result={last.result}
          landing={last.request.action === 'phoneCancel' || last.request.action === 'phoneUndo'}
          // an override no longer applies once the day is closed (a correction of the presence then)
          canOverride={supervisor && last.request.action !== 'phoneCancel' && last.request.action !== 'phoneUndo' && lateDayClosed === false}
          closedDay={lateDayClosed === true}
          onOverride={async (reason) => {
            await run(last.request.action, { reason }, last.request);
          }}
        />
      )}
    </Stack>
  );
}
