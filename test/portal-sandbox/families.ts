/**
 * The sandbox portal's families and what they do: taken from an office database (the demo office,
 * `--seed <db>`) or invented with valid codici fiscali. The events they produce follow the contract
 * (electron/portal/contract.ts) as a real portal would send them.
 */
import Database from 'better-sqlite3';
import { buildCodiceFiscale, buildNumeroAvviso } from '../../electron/identifiers';
import { mulberry32, type Random } from '../../electron/demo/random';
import { ADULT_FEMALE_NAMES, ADULT_MALE_NAMES, FEMALE_NAMES, MALE_NAMES, NORTH_SURNAMES, PLACES, SOUTH_SURNAMES } from '../../electron/demo/names';
import type { InboundEvent, PortalChannel } from './types';

export interface SandboxFamily {
  pupil: { firstName: string; lastName: string; taxCode: string; birthDate: string };
  schoolId: number;
  className: string;
  payer: { firstName: string; lastName: string; taxCode: string; email: string; mobile: string };
  weekdays: number[];
}

const SURNAMES = [...NORTH_SURNAMES, ...SOUTH_SURNAMES];

/** Invented families: the same for the same seed; codici fiscali with the right check letter. */
export function syntheticFamilies(count: number, seed = 1, schoolIds: number[] = [1]): SandboxFamily[] {
  const rnd = mulberry32(seed);
  const out: SandboxFamily[] = [];
  const seen = new Set<string>();
  for (let i = 0; out.length < count && i < count * 10; i++) {
    const lastName = rnd.pick(SURNAMES);
    const girl = rnd.chance(0.5);
    const firstName = rnd.pick(girl ? FEMALE_NAMES : MALE_NAMES);
    const birthDate = `${rnd.int(2015, 2021)}-${String(rnd.int(1, 12)).padStart(2, '0')}-${String(rnd.int(1, 28)).padStart(2, '0')}`;
    const place = rnd.pick(Object.values(PLACES));
    const taxCode = buildCodiceFiscale({ lastName, firstName, birthDate, sex: girl ? 'F' : 'M', belfiore: place });
    if (seen.has(taxCode)) continue;
    seen.add(taxCode);
    const mother = rnd.chance(0.6);
    const payerFirst = rnd.pick(mother ? ADULT_FEMALE_NAMES : ADULT_MALE_NAMES);
    const payerBirth = `${rnd.int(1975, 1992)}-${String(rnd.int(1, 12)).padStart(2, '0')}-${String(rnd.int(1, 28)).padStart(2, '0')}`;
    out.push({
      pupil: { firstName, lastName, taxCode, birthDate },
      schoolId: rnd.pick(schoolIds),
      className: `${rnd.int(1, 5)}${rnd.pick(['A', 'B', 'C'])}`,
      payer: {
        firstName: payerFirst,
        lastName,
        taxCode: buildCodiceFiscale({ lastName, firstName: payerFirst, birthDate: payerBirth, sex: mother ? 'F' : 'M', belfiore: place }),
        email: `${payerFirst}.${lastName}`.toLowerCase().replace(/[^a-z.]/g, '') + '@example.org',
        mobile: `3${rnd.digits(9)}`,
      },
      weekdays: [1, 2, 3, 4, 5],
    });
  }
  return out;
}

/** The families of an office database (the demo office): its pupils with their latest enrollment and payer. Read only. */
export function familiesFromDatabase(file: string, limit = 5000): SandboxFamily[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(
        `SELECT p.first_name AS pf, p.last_name AS pl, p.tax_code AS ptc, p.birth_date AS pb,
                e.school_id AS schoolId, coalesce(c.name, '') AS className, e.weekdays AS weekdays,
                y.first_name AS yf, y.last_name AS yl, y.tax_code AS ytc, y.email AS email, y.mobile AS mobile
           FROM pupils p
           JOIN enrollments e ON e.id = (SELECT max(e2.id) FROM enrollments e2 WHERE e2.pupil_id = p.id)
           JOIN payers y ON y.id = e.payer_id
           LEFT JOIN classes c ON c.id = e.class_id
          ORDER BY p.id LIMIT ?`,
      )
      .all(limit) as { pf: string; pl: string; ptc: string; pb: string; schoolId: number; className: string; weekdays: string; yf: string; yl: string; ytc: string; email: string; mobile: string }[];
    return rows.map((r) => ({
      pupil: { firstName: r.pf, lastName: r.pl, taxCode: r.ptc, birthDate: r.pb },
      schoolId: r.schoolId,
      className: r.className,
      payer: { firstName: r.yf, lastName: r.yl, taxCode: r.ytc, email: r.email, mobile: r.mobile },
      weekdays: parseWeekdays(r.weekdays),
    }));
  } finally {
    db.close();
  }
}

function parseWeekdays(text: string): number[] {
  try {
    const v = JSON.parse(text) as unknown;
    if (Array.isArray(v) && v.every((d) => Number.isInteger(d) && d >= 1 && d <= 5)) return v as number[];
  } catch {
    // a comma list, below
  }
  const days = text.split(/[^0-9]+/).map(Number).filter((d) => d >= 1 && d <= 5);
  return days.length > 0 ? days : [1, 2, 3, 4, 5];
}

export type ActionKind = 'cancellation' | 'cancellationUndo' | 'nextDayCancellation' | 'plainMeal' | 'prolongedAbsence' | 'reactivation' | 'personalData' | 'topUp' | 'supportRequest' | 'enrollment';

const MIX: (readonly [ActionKind, number])[] = [
  ['cancellation', 40],
  ['cancellationUndo', 5],
  ['nextDayCancellation', 8],
  ['plainMeal', 10],
  ['prolongedAbsence', 4],
  ['reactivation', 3],
  ['personalData', 8],
  ['topUp', 12],
  ['supportRequest', 5],
  ['enrollment', 5],
];

/** Monday–Friday dates from `from` on (the portal does not know the office's closures). */
export function weekdaysFrom(from: string, count: number): string[] {
  const out: string[] = [];
  const d = new Date(`${from}T12:00:00Z`);
  while (out.length < count) {
    const wd = d.getUTCDay();
    if (wd >= 1 && wd <= 5) out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

/** '2026-12-07', '09:10' → '2026-12-07T09:10:00+01:00' (Rome's offset: +02:00 from the last Sunday of March to the last of October). */
export function romeMoment(date: string, time: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const lastSunday = (month: number) => {
    const last = new Date(Date.UTC(y, month, 0));
    return last.getUTCDate() - last.getUTCDay();
  };
  const summer = (m > 3 && m < 10) || (m === 3 && d >= lastSunday(3)) || (m === 10 && d < lastSunday(10));
  return `${date}T${time.length === 5 ? `${time}:00` : time}${summer ? '+02:00' : '+01:00'}`;
}

export interface GenerateOptions {
  /** the first day the families act on (YYYY-MM-DD); their actions spread over `days` weekdays */
  from: string;
  days?: number;
  seed?: number;
  /** event ids: `${idPrefix}${n}` */
  idPrefix?: string;
  kinds?: readonly ActionKind[];
}

/** `count` family actions of mixed kinds, each with its own id, the family's moment and channel. */
export function generateActions(families: readonly SandboxFamily[], count: number, o: GenerateOptions): InboundEvent[] {
  if (families.length === 0) throw new Error('Il portale di prova non ha famiglie');
  const rnd = mulberry32(o.seed ?? 7);
  const dates = weekdaysFrom(o.from, o.days ?? 10);
  const prefix = o.idPrefix ?? 'evt-';
  const mix = o.kinds ? MIX.filter(([k]) => o.kinds!.includes(k)) : MIX;
  const out: InboundEvent[] = [];
  for (let i = 0; i < count; i++) {
    const f = rnd.pick(families);
    const day = rnd.pick(dates);
    const kind = rnd.weighted(mix);
    out.push(action(kind, f, day, `${prefix}${i + 1}`, rnd));
  }
  return out;
}

function channelOf(rnd: Random): PortalChannel {
  return rnd.weighted([
    ['portale', 50],
    ['app', 35],
    ['telefono', 10],
    ['sms', 5],
  ] as const);
}

export function action(kind: ActionKind, f: SandboxFamily, day: string, id: string, rnd: Random = mulberry32(1)): InboundEvent {
  const occurredAt = romeMoment(day, `0${rnd.int(7, 9)}:${String(rnd.int(0, 59)).padStart(2, '0')}`);
  const base = { id, occurredAt, channel: channelOf(rnd), pupilTaxCode: f.pupil.taxCode };
  switch (kind) {
    case 'cancellation':
    case 'cancellationUndo':
      return { ...base, type: kind, date: day };
    case 'nextDayCancellation':
      return { ...base, channel: rnd.pick(['telefono', 'sms'] as const), type: kind };
    case 'plainMeal':
      return { ...base, type: kind, date: day, plain: rnd.chance(0.8) };
    case 'prolongedAbsence':
    case 'reactivation':
      return { ...base, type: kind, from: day };
    case 'personalData':
      return { ...base, type: kind, payer: { taxCode: f.payer.taxCode, email: `nuovo.${f.payer.email}`, mobile: `3${rnd.digits(9)}` } };
    case 'topUp':
      return {
        ...base,
        type: kind,
        service: 'mensa',
        iuv: buildNumeroAvviso({ auxDigit: 3, segregationCode: '01', iuvBase: rnd.digits(13) }),
        amountCents: rnd.pick([2000, 3000, 5000, 10000]),
        payerTaxCode: f.payer.taxCode,
        paidAt: occurredAt,
      };
    case 'supportRequest':
      return {
        id,
        occurredAt,
        channel: 'portale',
        type: kind,
        pupilTaxCode: f.pupil.taxCode,
        payerTaxCode: f.payer.taxCode,
        contact: f.payer.email,
        subject: 'Richiesta di informazioni',
        message: `Buongiorno, vorrei sapere il saldo di ${f.pupil.firstName}. Grazie, ${f.payer.firstName} ${f.payer.lastName}`,
      };
    case 'enrollment': {
      const y = Number(day.slice(0, 4));
      const startYear = Number(day.slice(5, 7)) >= 9 ? y + 1 : y;
      return {
        id,
        occurredAt,
        channel: 'portale',
        type: 'enrollment',
        renewal: true,
        schoolYear: `${startYear}/${startYear + 1}`,
        pupil: { ...f.pupil },
        schoolId: f.schoolId,
        className: f.className || undefined,
        weekdays: f.weekdays,
        payer: { ...f.payer },
        paymentMethod: 'prepagato',
        diets: [],
      };
    }
  }
}
