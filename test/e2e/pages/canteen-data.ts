import ExcelJS from 'exceljs';
import type { AppServer } from '../fixtures';
import type { BackendApi } from './backend-api';

/** Today in Rome as 'YYYY-MM-DD' (the server judges cutoffs on its own clock; this only picks the days). */
export function romeToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export function addDays(iso: string, n: number): string {
  const d = new Date(`${iso}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** '2026-11-23' → '23/11/2026' */
export const it = (iso: string) => iso.split('-').reverse().join('/');

/**
 * The demo office (Clusone 09:30 and Cassino 09:00, their schools and 300 pupils enrolled since
 * September): its enrollments were activated at the start of the year, so the days before today
 * have bookings and can be closed by hand, as the office does for a day the program missed.
 */
export async function seedDemoOffice(app: AppServer, pupils = 300) {
  const r = await app.cli(['seed-demo', '--pupils', String(pupils)]);
  if (r.code !== 0) throw new Error(`seed-demo non riuscito:\n${r.stdout}\n${r.stderr}`);
}

export interface CanteenDays {
  /** the last service day before today: its cutoff has passed, it is not closed (the demo office is new) */
  past: string;
  /** the next five service days after today, in order */
  next: string[];
}

/** Service days of a school around today, read from the service calendar (holidays and weekends skipped). */
export async function serviceDaysAround(api: BackendApi, schoolId: number): Promise<CanteenDays | null> {
  const today = romeToday();
  const cal = await api.call('calendar.get', { schoolId, from: addDays(today, -20), to: addDays(today, 40) });
  const service = cal.days.filter((d) => d.service).map((d) => d.date);
  const past = service.filter((d) => d < today).pop();
  const next = service.filter((d) => d > today).slice(0, 5);
  return past && next.length === 5 ? { past, next } : null;
}

export async function findSchool(api: BackendApi, name: string) {
  const s = (await api.call('schools.list', {})).find((x) => x.name === name);
  if (!s) throw new Error(`Scuola ${name} assente nei dati dimostrativi`);
  return s;
}

export async function findClass(api: BackendApi, schoolId: number, date: string, name: string) {
  const years = await api.call('schoolYears.list', {});
  const year = years.find((y) => y.startsOn <= date && date <= y.endsOn);
  const c = (await api.call('classes.list', { schoolId, schoolYearId: year?.id })).find((x) => x.name === name);
  if (!c || !year) throw new Error(`Classe ${name} assente`);
  return { ...c, year };
}

/** Pupils with a meal booked on `date` (optionally in one class). */
export async function bookedOn(api: BackendApi, date: string, where: { schoolId?: number; classId?: number } = {}) {
  return api.call('attendance.expected', { date, ...where, limit: 5000 });
}

/** The first sheet of a downloaded .xlsx as rows of cell values. */
export async function readSheet(file: string) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.worksheets[0]!;
  const rows: unknown[][] = [];
  ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return { name: ws.name, rows };
}

/** Rows as objects keyed by the header row. */
export function byHeader(rows: unknown[][]): Record<string, unknown>[] {
  const header = rows[0] as string[];
  return rows.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}
