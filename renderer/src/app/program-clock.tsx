/**
 * The program's clock as the screens see it. The backend decides what "now" is (system.clock):
 * normally the real time; in a test or training session a practice clock ("orologio di prova"),
 * fixed or running from a chosen moment. The screens pre-fill "today" from programNow(), so in a
 * training session the calendars open on the practice day, and every screen shows the banner.
 */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { Box, Center, Group, Loader, Text } from '@mantine/core';
import { IconClockExclamation } from '@tabler/icons-react';
import { call, type ProcOutput } from '../api/client';

export type ProgramClock = ProcOutput<'system.clock'>;
type Practice = NonNullable<ProgramClock['practice']>;

let practice: Practice | null = null;
/** practice time − this machine's time, measured when the backend answered */
let offsetMs = 0;

function adopt(clock: ProgramClock) {
  practice = clock.practice;
  offsetMs = new Date(clock.now).getTime() - Date.now();
}

/**
 * "Now" for the screens: the machine's time, or the practice clock's (standing still when it is
 * fixed, else advancing from the backend's answer). Only pre-fills and highlights use it: what is
 * saved is always judged on the backend's clock.
 */
export function programNow(): Date {
  if (!practice) return new Date();
  if (practice.mode === 'fisso') return new Date(practice.from);
  return new Date(Date.now() + offsetMs);
}

const ClockContext = createContext<ProgramClock | null>(null);

/** Asks the backend for its clock once, before the screens (and their "today") appear. */
export function ProgramClockProvider({ children }: { children: ReactNode }) {
  const [clock, setClock] = useState<ProgramClock | null>(null);
  const [settled, setSettled] = useState(false);
  useEffect(() => {
    let alive = true;
    call('system.clock', {})
      .then((c) => {
        adopt(c);
        if (alive) setClock(c);
      })
      // an unreachable backend is reported by the session gate: the screens go on with the real clock
      .catch(() => undefined)
      .finally(() => alive && setSettled(true));
    return () => {
      alive = false;
    };
  }, []);
  if (!settled) {
    return (
      <Center h="100dvh">
        <Loader />
      </Center>
    );
  }
  return <ClockContext.Provider value={clock}>{children}</ClockContext.Provider>;
}

const WHEN = new Intl.DateTimeFormat('it-IT', {
  timeZone: 'Europe/Rome',
  weekday: 'long',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const TIME = new Intl.DateTimeFormat('it-IT', { timeZone: 'Europe/Rome', hour: '2-digit', minute: '2-digit' });

/** 'lunedì 16/11/2026 08:30' (Rome time) */
export function formatPracticeMoment(iso: string): string {
  return WHEN.format(new Date(iso)).replace(',', '');
}

/** The banner's words for a practice clock: what the program believes, then what follows from it. */
export function practiceClockText(p: Practice, now: Date): { title: string; detail: string } {
  const at = formatPracticeMoment(p.from);
  return {
    title: p.mode === 'fisso' ? `Orologio di prova: ${at}, fermo` : `Orologio di prova: partito da ${at}, ora ${TIME.format(now)}`,
    detail: 'date, orari limite e chiusure seguono questo orologio, non quello reale',
  };
}

/** Height of the banner: the layout's header makes room for it. */
export const CLOCK_BANNER_HEIGHT = 32;

/** The orange band on every screen while a practice clock is in use; nothing otherwise. */
export function ClockBanner() {
  const clock = useContext(ClockContext);
  const p = clock?.practice ?? null;
  const [now, setNow] = useState(() => programNow());
  useEffect(() => {
    if (p?.mode !== 'in-corsa') return;
    const timer = setInterval(() => setNow(programNow()), 15_000);
    return () => clearInterval(timer);
  }, [p?.mode]);
  if (!p) return null;
  const text = practiceClockText(p, now);
  return (
    <Box
      role="status"
      data-testid="practice-clock-banner"
      data-mode={p.mode}
      bg="orange.8"
      px="md"
      h={CLOCK_BANNER_HEIGHT}
      title={`${text.title}: ${text.detail}`}
      style={{ position: 'sticky', top: 0, zIndex: 300, display: 'flex', alignItems: 'center' }}
    >
      <Group gap={8} wrap="nowrap" style={{ minWidth: 0 }}>
        <IconClockExclamation color="white" size={18} style={{ flexShrink: 0 }} />
        <Text c="white" fz="sm" truncate="end">
          <b>{text.title}</b> · {text.detail}
        </Text>
      </Group>
    </Box>
  );
}

/** Whether a practice clock is in use (the layout makes room for the banner). */
export function usePracticeClock(): Practice | null {
  return useContext(ClockContext)?.practice ?? null;
}
