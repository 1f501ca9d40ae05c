/**
 * The demo office, generated from a seed: Clusone (BG) and Cassino (FR) with their real cutoffs
 * (A2: 09:30 and 09:00), the Clusone tariff of the renewal letter (T1: 5,95 € + 4% = 6,18 €), about
 * ten schools, classes for two school years, and N pupils with families, enrollments and renewals.
 *
 * The school years follow the day it is generated on (`today`, a Rome date passed in by the caller:
 * this module never reads the clock): the current school year is the one that starts on 1 September
 * of Y, where Y is today's year from July on and the year before until June (the office works on the
 * next year from the July enrollments); the previous one is Y-1/Y. Enrollment windows, tariffs,
 * activation and withdrawal dates and the pupils' birth years all move with Y.
 *
 * Pure: no database, no clock. The same seed and the same school year always give the same
 * families, pupils, classes and enrollments; `today` only caps the dates that would otherwise be in
 * the future (activations and withdrawals of the current year), so the office never shows an
 * enrollment activated or withdrawn after today. Before 1 September nobody has withdrawn from the
 * new year yet (E6: a withdrawal dates from the start of the enrollment on): those enrollments
 * are still active. From the end of the autumn withdrawals (18 December) to 30 June the office is
 * the same every day.
 */
import { buildCodiceFiscale } from '../identifiers/codice-fiscale';
import type { PayerInput } from '../payers/service';
import { buildItalianIban } from '../identifiers/iban';
import { isRealDate } from '../contract/vocabulary/dates';
import { mulberry32, type Random } from './random';
import {
  ADULT_FEMALE_NAMES,
  ADULT_MALE_NAMES,
  BANK_ABI,
  CASSINO_STREETS,
  CLUSONE_STREETS,
  EMAIL_DOMAINS,
  FEMALE_NAMES,
  FOREIGN_FAMILIES,
  MALE_NAMES,
  NORTH_SURNAMES,
  PLACES,
  SOUTH_SURNAMES,
} from './names';

export type MunicipalityKey = 'clusone' | 'cassino';
export type YearKey = 'previous' | 'current';
type Kind = 'infanzia' | 'primaria' | 'secondaria';

export interface DemoMunicipality {
  key: MunicipalityKey;
  name: string;
  province: string;
  cutoffTime: string;
  enrollmentOpensOn: string | null;
  enrollmentClosesOn: string | null;
  notes: string;
  postcode: string;
  streets: readonly string[];
}

export interface DemoSchool {
  municipality: MunicipalityKey;
  name: string;
  kind: Kind;
  address: string;
  serviceWeekdays: number[];
  /** share of the pupils */
  weight: number;
}

export interface DemoYear {
  key: YearKey;
  label: string;
  startsOn: string;
  endsOn: string;
}

export interface DemoTariff {
  municipality: MunicipalityKey;
  service: string;
  description: string;
  validFrom: string;
  validTo: string | null;
  grossCents: number;
  netCents: number;
  vatRateBp: number;
}

export interface DemoClass {
  school: number;
  year: YearKey;
  name: string;
}

/** A demo payer: the same fields as the payer form (payers/service.ts). */
export type DemoPayer = PayerInput;

export interface DemoPupil {
  firstName: string;
  lastName: string;
  birthDate: string;
  taxCode: string;
  userCode: string;
  phoneCode: string;
  school: number;
  /** class index in `classes`, for the current year */
  class: number;
}

export interface DemoEnrollment {
  pupil: number;
  payer: number;
  year: YearKey;
  school: number;
  class: number;
  weekdays: number[];
  paymentMethod: 'prepagato' | 'sdd';
  status: 'bozza' | 'attiva' | 'ritirata';
  startsOn: string;
  activatedOn: string | null;
  withdrawnOn: string | null;
  withdrawalReason: string | null;
  /** index (in `enrollments`) of last year's enrollment this one renews (E2) */
  renewedFrom: number | null;
}

export interface DemoOffice {
  municipalities: DemoMunicipality[];
  tariffs: DemoTariff[];
  years: DemoYear[];
  schools: DemoSchool[];
  classes: DemoClass[];
  payers: DemoPayer[];
  pupils: DemoPupil[];
  enrollments: DemoEnrollment[];
}

/**
 * Start year of the current school year on a Rome date: from July the office works on the year
 * that starts in September (enrollments open in July), until June on the one that started the
 * September before. 2026-07-06 → 2026 (2026/2027), 2027-06-30 → 2026, 2029-02-10 → 2028.
 */
export function demoSchoolYearStart(today: string): number {
  if (!isRealDate(today)) throw new RangeError(`Data non valida: ${String(today)} (atteso AAAA-MM-GG)`);
  const year = Number(today.slice(0, 4));
  return Number(today.slice(5, 7)) >= 7 ? year : year - 1;
}

/** Clusone's online enrollments: from 6 to 31 July of the year the school year starts (as in the real letter). */
const CLUSONE_WINDOW = ['07-06', '07-31'] as const;
/** Cassino has no online window: enrollments are activated from July to the first days of school. */
const CASSINO_WINDOW = ['07-01', '09-10'] as const;

export function demoMunicipalities(y: number): DemoMunicipality[] {
  return [
    {
      key: 'clusone',
      name: 'Clusone',
      province: 'BG',
      cutoffTime: '09:30',
      enrollmentOpensOn: `${y}-${CLUSONE_WINDOW[0]}`,
      enrollmentClosesOn: `${y}-${CLUSONE_WINDOW[1]}`,
      notes: `Dati dimostrativi. Iscrizioni ${y}/${y + 1} online dal 6 al 31 luglio ${y}; disdette entro le 9:30.`,
      postcode: '24023',
      streets: CLUSONE_STREETS,
    },
    {
      key: 'cassino',
      name: 'Cassino',
      province: 'FR',
      cutoffTime: '09:00',
      enrollmentOpensOn: null,
      enrollmentClosesOn: null,
      notes: 'Dati dimostrativi. Disdette entro le 9:00, anche per telefono dalle 18:00 del giorno prima.',
      postcode: '03043',
      streets: CASSINO_STREETS,
    },
  ];
}

/** The previous and the current school year, 1 September to 30 June. */
export function demoYears(y: number): DemoYear[] {
  return [
    { key: 'previous', label: `${y - 1}/${y}`, startsOn: `${y - 1}-09-01`, endsOn: `${y}-06-30` },
    { key: 'current', label: `${y}/${y + 1}`, startsOn: `${y}-09-01`, endsOn: `${y + 1}-06-30` },
  ];
}

export function demoTariffs(y: number): DemoTariff[] {
  return [
    { municipality: 'clusone', service: 'mensa', description: `Pasto scuola ${y - 1}/${y}`, validFrom: `${y - 1}-09-01`, validTo: `${y}-08-31`, grossCents: 608, netCents: 585, vatRateBp: 400 },
    // T1: the renewal letter's price, 5,95 € + IVA 4% = 6,18 € as published
    { municipality: 'clusone', service: 'mensa', description: 'Pasto scuola (5,95 € + IVA 4%)', validFrom: `${y}-09-01`, validTo: null, grossCents: 618, netCents: 595, vatRateBp: 400 },
    { municipality: 'cassino', service: 'mensa', description: 'Pasto scuola (4,50 € + IVA 4%)', validFrom: `${y - 1}-09-01`, validTo: null, grossCents: 468, netCents: 450, vatRateBp: 400 },
  ];
}

export const DEMO_SCHOOLS: DemoSchool[] = [
  { municipality: 'clusone', name: "Scuola dell'infanzia Clara Maffei", kind: 'infanzia', address: 'Via Gusmini 12, 24023 Clusone (BG)', serviceWeekdays: [1, 2, 3, 4, 5], weight: 2 },
  { municipality: 'clusone', name: "Scuola dell'infanzia Sant'Alessandro", kind: 'infanzia', address: "Via Sant'Alessandro 4, 24023 Clusone (BG)", serviceWeekdays: [1, 2, 3, 4, 5], weight: 1 },
  { municipality: 'clusone', name: 'Scuola primaria Dante Alighieri', kind: 'primaria', address: 'Viale Roma 9, 24023 Clusone (BG)', serviceWeekdays: [1, 2, 3, 4, 5], weight: 4 },
  // afternoon-return schools: the canteen serves only on the days with lessons after lunch
  { municipality: 'clusone', name: 'Scuola primaria di Fiorine', kind: 'primaria', address: 'Via Fiorine 3, 24023 Clusone (BG)', serviceWeekdays: [1, 3], weight: 1 },
  { municipality: 'clusone', name: 'Scuola secondaria di primo grado Antonio Fantoni', kind: 'secondaria', address: 'Via Carpinoni 2, 24023 Clusone (BG)', serviceWeekdays: [1, 3], weight: 3 },
  { municipality: 'cassino', name: 'Scuola dell\'infanzia Maria Montessori', kind: 'infanzia', address: 'Via Di Biasio 21, 03043 Cassino (FR)', serviceWeekdays: [1, 2, 3, 4, 5], weight: 2 },
  { municipality: 'cassino', name: "Scuola dell'infanzia di Caira", kind: 'infanzia', address: 'Via Caira 8, 03043 Cassino (FR)', serviceWeekdays: [1, 2, 3, 4, 5], weight: 1 },
  { municipality: 'cassino', name: 'Scuola primaria Edmondo De Amicis', kind: 'primaria', address: 'Via Garigliano 40, 03043 Cassino (FR)', serviceWeekdays: [1, 2, 3, 4, 5], weight: 4 },
  { municipality: 'cassino', name: 'Scuola primaria San Bartolomeo', kind: 'primaria', address: 'Via San Marco 15, 03043 Cassino (FR)', serviceWeekdays: [2, 4], weight: 2 },
  { municipality: 'cassino', name: 'Scuola secondaria di primo grado Giovanni Pascoli', kind: 'secondaria', address: 'Via Arigni 60, 03043 Cassino (FR)', serviceWeekdays: [2, 4], weight: 3 },
];

const GRADES: Record<Kind, number> = { infanzia: 3, primaria: 5, secondaria: 3 };

const pad2 = (n: number) => String(n).padStart(2, '0');
const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

function randomDate(r: Random, from: string, to: string): string {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  const d = new Date(a + r.int(0, Math.round((b - a) / 86_400_000)) * 86_400_000);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

const minDate = (a: string, b: string) => (a < b ? a : b);

/**
 * A date between `from` and `to` that is not after `today`: the range is cut at today (both ends
 * when today comes before it). It draws one number whatever the range, so the dates drawn after it
 * do not depend on today.
 */
function pastDate(r: Random, from: string, to: string, today: string): string {
  return randomDate(r, minDate(from, today), minDate(to, today));
}

function birthDateIn(r: Random, year: number, fromMonth = 1, toMonth = 12): string {
  const m = r.int(fromMonth, toMonth);
  return `${year}-${pad2(m)}-${pad2(r.int(1, daysIn(year, m)))}`;
}

function sectionName(kind: Kind, grade: number, section: number): string {
  const letter = String.fromCharCode(65 + section);
  return kind === 'infanzia' ? `Sezione ${letter}` : `${grade}${letter}`;
}

function asciiLower(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z]/g, '');
}

const MOBILE_PREFIXES = ['320', '324', '328', '329', '333', '334', '335', '338', '339', '340', '345', '347', '348', '349', '366', '380', '388', '389', '391', '392', '393'];
const WITHDRAWAL_REASONS = ['Trasferimento in altra scuola', 'Rinuncia al servizio mensa', 'Trasferimento di residenza', 'Uscita anticipata da scuola'];

/**
 * The demo office for `pupilCount` pupils, drawn from `seed`, with the school years of `today`
 * (a Rome date 'YYYY-MM-DD', see demoSchoolYearStart).
 */
export function generateDemoOffice(pupilCount: number, seed: number, today: string): DemoOffice {
  const startYear = demoSchoolYearStart(today); // the current school year is startYear/startYear+1
  const municipalities = demoMunicipalities(startYear);
  const years = demoYears(startYear);
  const [previousYear, currentYear] = years;
  const r = mulberry32(seed);
  const schools = DEMO_SCHOOLS;
  const byMunicipality = (m: MunicipalityKey) => schools.map((s, i) => [i, s.weight] as const).filter(([i]) => schools[i].municipality === m);
  const totalWeight = schools.reduce((s, x) => s + x.weight, 0);

  // classes: sections sized for about 22 pupils each, the same sections in both years
  const classes: DemoClass[] = [];
  const classIndex = new Map<string, number>();
  const sectionsOf: number[] = schools.map((s) => {
    const expected = (pupilCount * s.weight) / totalWeight;
    return Math.max(1, Math.min(26, Math.round(expected / GRADES[s.kind] / 22)));
  });
  schools.forEach((s, si) => {
    for (const year of years) {
      for (let g = 1; g <= GRADES[s.kind]; g++) {
        if (s.kind === 'infanzia' && g > 1) break; // infanzia sections mix ages
        const sections = s.kind === 'infanzia' ? sectionsOf[si] * GRADES.infanzia : sectionsOf[si];
        for (let k = 0; k < Math.min(26, sections); k++) {
          const name = sectionName(s.kind, g, k);
          classIndex.set(`${si}|${year.key}|${name}`, classes.length);
          classes.push({ school: si, year: year.key, name });
        }
      }
    }
  });

  const taxCodes = new Set<string>();
  function uniqueCf(lastName: string, firstName: string, birthDate: string, sex: 'M' | 'F', belfiore: string): string {
    for (let omocodia = 0; omocodia <= 7; omocodia++) {
      const cf = buildCodiceFiscale({ lastName, firstName, birthDate, sex, belfiore, omocodia });
      if (!taxCodes.has(cf)) {
        taxCodes.add(cf);
        return cf;
      }
    }
    return '';
  }

  const emails = new Map<string, number>();
  const phoneCodes = new Set<string>();
  const payers: DemoPayer[] = [];
  const pupils: DemoPupil[] = [];
  const enrollments: DemoEnrollment[] = [];

  while (pupils.length < pupilCount) {
    const municipality = r.weighted([[municipalities[0], 55], [municipalities[1], 45]] as const);
    const local = municipality.key === 'clusone';
    const foreign = r.chance(0.08) ? r.pick(FOREIGN_FAMILIES) : null;
    const surnames = local ? NORTH_SURNAMES : SOUTH_SURNAMES;
    const familyName = foreign ? r.pick(foreign.surnames) : r.pick(surnames);
    const localBirthPlaces = local
      ? ([[PLACES.bergamo, 55], [PLACES.clusone, 30], [PLACES.milano, 15]] as const)
      : ([[PLACES.cassino, 60], [PLACES.frosinone, 25], [PLACES.roma, 10], [PLACES.napoli, 5]] as const);

    // the payer: the mother more often than the father; Italian mothers keep their own surname
    const mother = r.chance(0.6);
    let payerFirst = mother ? r.pick(ADULT_FEMALE_NAMES) : r.pick(ADULT_MALE_NAMES);
    let payerLast = mother ? (foreign ? familyName : r.pick(surnames)) : familyName;
    const payerBirth = birthDateIn(r, r.int(startYear - 50, startYear - 31));
    const payerPlace = foreign ? foreign.belfiore : r.weighted(localBirthPlaces);
    let payerCf = uniqueCf(payerLast, payerFirst, payerBirth, mother ? 'F' : 'M', payerPlace);
    while (!payerCf) {
      // eight people with the same data: give up on this name
      payerFirst = mother ? r.pick(ADULT_FEMALE_NAMES) : r.pick(ADULT_MALE_NAMES);
      payerLast = r.pick(surnames);
      payerCf = uniqueCf(payerLast, payerFirst, payerBirth, mother ? 'F' : 'M', payerPlace);
    }
    const sdd = r.chance(0.4);
    const hasIban = sdd || r.chance(0.2);
    const emailBase = `${asciiLower(payerFirst)}.${asciiLower(payerLast)}`;
    const n = (emails.get(emailBase) ?? 0) + 1;
    emails.set(emailBase, n);
    const payer: DemoPayer = {
      firstName: payerFirst,
      lastName: payerLast,
      taxCode: payerCf,
      email: `${emailBase}${n > 1 ? n : ''}@${r.pick(EMAIL_DOMAINS)}`,
      mobile: r.pick(MOBILE_PREFIXES) + r.digits(7),
      street: r.pick(municipality.streets),
      streetNumber: String(r.int(1, 120)) + (r.chance(0.1) ? r.pick(['A', 'B', '/1', '/2']) : ''),
      postcode: municipality.postcode,
      town: municipality.name,
      province: municipality.province,
      country: 'IT',
      iban: hasIban ? buildItalianIban(r.pick(BANK_ABI), r.digits(5), r.digits(12)) : null,
      ibanHolder: hasIban ? `${payerFirst} ${payerLast}` : null,
    };
    const payerIndex = payers.length;
    payers.push(payer);

    const children = Math.min(pupilCount - pupils.length, r.weighted([[1, 65], [2, 28], [3, 7]] as const));
    for (let c = 0; c < children; c++) {
      const si = r.weighted(byMunicipality(municipality.key));
      const school = schools[si];
      const female = r.chance(0.49);
      let firstName = female ? r.pick(FEMALE_NAMES) : r.pick(MALE_NAMES);
      // grade in the current school year and the matching birth year (primaria grade 1 in 2026/2027: born 2020)
      const grade = r.int(1, GRADES[school.kind]);
      const birthYear = school.kind === 'infanzia' ? startYear - 2 - grade : school.kind === 'primaria' ? startYear - 6 - grade + 1 : startYear - 11 - grade + 1;
      const birthDate = birthDateIn(r, birthYear);
      const place = r.weighted(localBirthPlaces);
      let taxCode = uniqueCf(familyName, firstName, birthDate, female ? 'F' : 'M', place);
      while (!taxCode) {
        firstName = female ? r.pick(FEMALE_NAMES) : r.pick(MALE_NAMES);
        taxCode = uniqueCf(familyName, firstName, birthDate, female ? 'F' : 'M', place);
      }
      const sections = school.kind === 'infanzia' ? Math.min(26, sectionsOf[si] * GRADES.infanzia) : sectionsOf[si];
      const section = r.int(0, sections - 1);
      const className = sectionName(school.kind, school.kind === 'infanzia' ? 1 : grade, section);
      const currentClass = classIndex.get(`${si}|current|${className}`)!;
      let phoneCode: string;
      do phoneCode = String(r.int(100_000, 999_999));
      while (phoneCodes.has(phoneCode));
      phoneCodes.add(phoneCode);
      const pupilIndex = pupils.length;
      pupils.push({
        firstName,
        lastName: familyName,
        birthDate,
        taxCode,
        userCode: String(10_000_001 + pupilIndex).padStart(8, '0'),
        phoneCode,
        school: si,
        class: currentClass,
      });

      const weekdays = r.chance(0.75) || school.serviceWeekdays.length <= 2
        ? school.serviceWeekdays
        : school.serviceWeekdays.filter((_, i) => i === 0 || r.chance(0.6));
      const window = local ? CLUSONE_WINDOW : CASSINO_WINDOW;

      // last year: the same school, one grade lower (infanzia: from age three)
      let previous: number | null = null;
      const wasThere = school.kind === 'infanzia' ? birthYear <= startYear - 4 : grade > 1;
      if (wasThere && r.chance(0.92)) {
        const prevClass = classIndex.get(`${si}|previous|${sectionName(school.kind, school.kind === 'infanzia' ? 1 : grade - 1, section)}`)!;
        const withdrawn = r.chance(0.03);
        previous = enrollments.length;
        enrollments.push({
          pupil: pupilIndex,
          payer: payerIndex,
          year: 'previous',
          school: si,
          class: prevClass,
          weekdays,
          paymentMethod: sdd ? 'sdd' : 'prepagato',
          status: withdrawn ? 'ritirata' : 'attiva',
          startsOn: previousYear.startsOn,
          // last year's dates are all before today (today is at least 1 July of startYear)
          activatedOn: randomDate(r, `${startYear - 1}-${window[0]}`, `${startYear - 1}-${window[1]}`),
          withdrawnOn: withdrawn ? randomDate(r, `${startYear - 1}-10-01`, `${startYear}-04-30`) : null,
          withdrawalReason: withdrawn ? r.pick(WITHDRAWAL_REASONS) : null,
          renewedFrom: null,
        });
      }
      const drawn = r.weighted([['attiva', 88], ['bozza', 8], ['ritirata', 4]] as const);
      // activated in this year's window, but never after today (before the window closes: up to today)
      const activatedOn = drawn === 'bozza' ? null : pastDate(r, `${startYear}-${window[0]}`, `${startYear}-${window[1]}`, today);
      // withdrawn in the first months of school, never after today; a withdrawal dates from the
      // start of the enrollment on (E6), so before 1 September nobody has withdrawn yet
      const withdrawnOn = drawn === 'ritirata' ? pastDate(r, `${startYear}-09-15`, `${startYear}-12-18`, today) : null;
      const withdrawalReason = drawn === 'ritirata' ? r.pick(WITHDRAWAL_REASONS) : null;
      const withdrawn = withdrawnOn !== null && withdrawnOn >= currentYear.startsOn;
      enrollments.push({
        pupil: pupilIndex,
        payer: payerIndex,
        year: 'current',
        school: si,
        class: currentClass,
        weekdays,
        paymentMethod: sdd ? 'sdd' : 'prepagato',
        status: drawn === 'ritirata' && !withdrawn ? 'attiva' : drawn,
        startsOn: currentYear.startsOn,
        activatedOn,
        withdrawnOn: withdrawn ? withdrawnOn : null,
        withdrawalReason: withdrawn ? withdrawalReason : null,
        renewedFrom: previous !== null && enrollments[previous].status !== 'ritirata' ? previous : null,
      });
    }
  }

  return {
    municipalities,
    tariffs: demoTariffs(startYear),
    years,
    schools,
    classes,
    payers,
    pupils,
    enrollments,
  };
}
