import ExcelJS from 'exceljs';
import type { AppServer } from '../fixtures';
import type { BackendApi } from './backend-api';

export function addDays(iso: string, n: number): string {
  const d = new Date(`${iso}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** '2026-11-23' → '23/11/2026' */
export const it = (iso: string) => iso.split('-').reverse().join('/');

/**
 * The demo office (Clusone 09:30 and Cassino 09:00, their schools and 300 pupils enrolled since
 * September), seeded at the server's moment. Without its money history (`money: false`, the
 * default here) no day is closed yet: the days before today have bookings and can be closed by
 * hand, as the office does for a day the program missed. With it, the last school days are
 * closed and charged.
 */
export async function seedDemoOffice(app: AppServer, pupils = 300, options: { money?: boolean } = {}) {
  const r = await app.cli(['call', 'demo.seed', JSON.stringify({ pupils, money: options.money ?? false })]);
  if (r.code !== 0) throw new Error(`seed-demo non riuscito:\n${r.stdout}\n${r.stderr}`);
}

export interface CanteenDays {
  /** the last service day before today: its cutoff has passed, it is not closed (the demo office is new) */
  past: string | null;
  /** the next five service days after today, in order */
  next: string[];
}

/** Service days of a school around the server's today, read from the service calendar (holidays and weekends skipped). */
export async function serviceDaysAround(api: BackendApi, schoolId: number): Promise<CanteenDays> {
  const today = await api.today();
  const cal = await api.call('calendar.get', { schoolId, from: addDays(today, -20), to: addDays(today, 40) });
  const service = cal.days.filter((d) => d.service).map((d) => d.date);
  return { past: service.filter((d) => d < today).pop() ?? null, next: service.filter((d) => d > today).slice(0, 5) };
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
  // the header is the first row of three or more column names (a sheet may open with a title row)
  const at = rows.findIndex((r) => r.filter((c) => typeof c === 'string' && c.trim() !== '').length >= 3 && r.every((c) => c === null || c === undefined || typeof c === 'string'));
  const header = rows[Math.max(at, 0)] as string[];
  return rows.slice(Math.max(at, 0) + 1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}
