/**
 * The injected clock: domain code never calls Date.now() itself, so tests can stand at 09:29:59.
 *
 * Besides the system clock there is the practice clock ("orologio di prova") for end-to-end tests
 * and training sessions: the backend believes it is a chosen moment. Two modes:
 * - fixed (`--clock`, RETTE_CLOCK): time stands still at the moment; nothing scheduled ever
 *   comes due while the program runs (the day close at the cutoff never arrives);
 * - running (`--clock-from`, RETTE_CLOCK_FROM): the clock starts at the moment and then advances
 *   in real time (a constant offset from the real clock), so the cutoffs and the day close come
 *   when they would on that day. This is what tests and training usually want.
 * A practice clock carries its description (`practice`), which the banner of every screen shows
 * and which makes the runtime refuse a database with real data (db/real-data.ts).
 */
export interface Clock {
  now(): Date;
  /** set only on a practice clock */
  readonly practice?: PracticeClock;
}

export type PracticeClockMode = 'fisso' | 'in-corsa';

export interface PracticeClock {
  mode: PracticeClockMode;
  /** the chosen moment, UTC ISO: where a fixed clock stands, where a running clock started */
  from: string;
}

/** The one place where the backend reads the machine's time. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock fixed at a moment (unit tests); `set` and `advance` move it. */
export function fixedClock(at: string | Date): Clock & { set(at: string | Date): void; advance(ms: number): void } {
  let current = new Date(at);
  return {
    now: () => new Date(current),
    set(next) {
      current = new Date(next);
    },
    advance(ms) {
      current = new Date(current.getTime() + ms);
    },
  };
}

/**
 * The practice clock of a setting. A running clock starts at `from` when it is created and then
 * follows `real` (the system clock; a test passes a fixed one to move it by hand).
 */
export function practiceClock(setting: PracticeClock, real: Clock = systemClock): Clock {
  const from = new Date(setting.from).getTime();
  if (Number.isNaN(from)) throw new ClockOptionError(`Orologio di prova: istante non valido (${setting.from})`);
  const practice: PracticeClock = { mode: setting.mode, from: new Date(from).toISOString() };
  if (setting.mode === 'fisso') return { now: () => new Date(from), practice };
  const startedAt = real.now().getTime();
  return { now: () => new Date(from + (real.now().getTime() - startedAt)), practice };
}

/** A bad clock option or variable: the message is for the person who typed it (Italian). */
export class ClockOptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClockOptionError';
  }
}

export const CLOCK_ENV = 'RETTE_CLOCK';
export const CLOCK_FROM_ENV = 'RETTE_CLOCK_FROM';

/** How far from the real date a practice clock may go: a typo such as 2062 or 1926 is refused, not obeyed. */
export const PRACTICE_RANGE_YEARS = 10;
const YEAR_MS = 365.25 * 24 * 60 * 60 * 1000;

const MOMENT_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(Z|[+-](\d{2}):(\d{2}))$/i;
const EXAMPLE = 'es. 2026-11-16T08:30:00+01:00 (ora italiana d’inverno), 2026-05-18T09:10:00+02:00 (d’estate) o 2026-11-16T07:30:00Z';

/**
 * Reads a moment written as ISO 8601 with its offset ('Z' or '±hh:mm'): the offset is required,
 * so the moment never depends on the machine's time zone. Every field is checked (2026-02-30,
 * 24:00 and +15:00 are refused); seconds and milliseconds are optional (toISOString() is accepted).
 */
export function parseMoment(text: string, what = 'Orologio di prova'): Date {
  const value = text.trim();
  const m = MOMENT_RE.exec(value);
  if (!m) throw new ClockOptionError(`${what}: «${text}» non è un istante valido: scrivere data, ora e fuso, ${EXAMPLE}`);
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  const realDay = probe.getUTCFullYear() === y && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d;
  if (!realDay) throw new ClockOptionError(`${what}: il giorno ${m[3]}/${m[2]}/${m[1]} non esiste`);
  if (h > 23 || mi > 59 || s > 59) throw new ClockOptionError(`${what}: l’ora ${m[4]}:${m[5]}${m[6] ? `:${m[6]}` : ''} non esiste`);
  if (m[8] !== undefined && (Number(m[8]) > 14 || Number(m[9]) > 59)) throw new ClockOptionError(`${what}: il fuso ${m[7]} non esiste`);
  const at = new Date(value.toUpperCase());
  if (Number.isNaN(at.getTime())) throw new ClockOptionError(`${what}: «${text}» non è un istante valido, ${EXAMPLE}`);
  return at;
}

export interface ClockOptions {
  /** `--clock <moment>`: fixed */
  clock?: string;
  /** `--clock-from <moment>`: starts there, then runs */
  clockFrom?: string;
}

/**
 * The practice clock asked for, or null for the real clock. The command-line options win over
 * the environment (RETTE_CLOCK, RETTE_CLOCK_FROM) as a whole; asking for both modes at once is an
 * error, never a silent choice. An empty variable counts as unset.
 */
export function practiceClockSetting(options: ClockOptions, env: Record<string, string | undefined> = {}, real: Clock = systemClock): PracticeClock | null {
  const fromOptions = options.clock !== undefined || options.clockFrom !== undefined;
  const fixed = fromOptions ? options.clock : env[CLOCK_ENV] || undefined;
  const running = fromOptions ? options.clockFrom : env[CLOCK_FROM_ENV] || undefined;
  const names = fromOptions ? ['--clock', '--clock-from'] : [CLOCK_ENV, CLOCK_FROM_ENV];
  if (fixed !== undefined && running !== undefined) {
    throw new ClockOptionError(`Orologio di prova: indicare ${names[0]} (fermo) oppure ${names[1]} (che parte e poi scorre), non entrambi`);
  }
  if (fixed === undefined && running === undefined) return null;
  const what = `Orologio di prova (${fixed !== undefined ? names[0] : names[1]})`;
  const at = parseMoment((fixed ?? running)!, what);
  const today = real.now();
  if (Math.abs(at.getTime() - today.getTime()) > PRACTICE_RANGE_YEARS * YEAR_MS) {
    throw new ClockOptionError(`${what}: l’anno ${at.getUTCFullYear()} è a più di ${PRACTICE_RANGE_YEARS} anni dalla data reale (${today.getUTCFullYear()}): controllare l’istante`);
  }
  return { mode: fixed !== undefined ? 'fisso' : 'in-corsa', from: at.toISOString() };
}
