import type { AppServer } from '../fixtures';
import type { ProcedureName, ProcInput, ProcOutput } from '../../../electron/contract/registry';
import { buildCodiceFiscale } from '../../../electron/identifiers/codice-fiscale';
import type { ErrorShape } from '../../../electron/contract/errors';
import { VALID_PAYER } from '../../support/people';

/**
 * Talks to the test's server the way the page does (POST /api/<procedure> with the launch token
 * and a session): used to prepare data quickly and to prove what the backend refuses.
 */
export class BackendApi {
  session: string | null = null;
  readonly origin: string;

  constructor(private readonly app: AppServer) {
    this.origin = new URL(app.url).origin;
  }

  async raw(name: string, input: unknown, session: string | null = this.session): Promise<{ ok: true; value: unknown } | { ok: false; error: ErrorShape }> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', Authorization: `Bearer ${this.app.token}` };
    if (session) headers['X-Rette-Session'] = session;
    const res = await fetch(`${this.origin}/api/${name}`, { method: 'POST', headers, body: JSON.stringify(input ?? {}) });
    return (await res.json()) as never;
  }

  async call<N extends ProcedureName>(name: N, input: ProcInput<N>, session: string | null = this.session): Promise<ProcOutput<N>> {
    const r = await this.raw(name, input, session);
    if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
    return r.value as ProcOutput<N>;
  }

  /** First start without the UI: the administrator, logged in. */
  async setupAdmin(username = 'admin', password = 'password-admin', displayName = 'Anna Ferrari') {
    const out = await this.call('auth.setup', { username, displayName, password }, null);
    this.session = out.session;
    return out;
  }

  /** the server's today in Rome (its practice clock) */
  today(): Promise<string> {
    return this.app.today();
  }

  async login(username: string, password: string): Promise<string> {
    const out = await this.call('auth.login', { username, password }, null);
    return out.session;
  }
}

/** The school year that contains `today` (or starts next, in July and August), as the office would set it up. */
export function schoolYearsAroundToday(today: string) {
  const [year, month] = today.split('-').map(Number) as [number, number];
  const y = month >= 7 ? year : year - 1;
  return {
    current: { label: `${y}/${y + 1}`, startsOn: `${y}-09-01`, endsOn: `${y + 1}-06-30` },
    next: { label: `${y + 1}/${y + 2}`, startsOn: `${y + 1}-09-01`, endsOn: `${y + 2}-06-30` },
    /** an enrollment window already closed, so that a new enrollment gets the E1 warning */
    pastWindow: { opens: `${y - 1}-07-06`, closes: `${y - 1}-07-31` },
  };
}

/** Clusone (09:30) with one primary school, the current and next school year, classes 3A → 4A, the T1 tariff. */
export async function seedOffice(api: BackendApi) {
  const years = schoolYearsAroundToday(await api.today());
  const clusone = await api.call('municipalities.create', {
    name: 'Clusone',
    province: 'BG',
    cutoffTime: '09:30',
    enrollmentOpensOn: years.pastWindow.opens,
    enrollmentClosesOn: years.pastWindow.closes,
  });
  const year = await api.call('schoolYears.create', years.current);
  const nextYear = await api.call('schoolYears.create', years.next);
  const school = await api.call('schools.create', { municipalityId: clusone.id, name: 'Scuola primaria Dante Alighieri', kind: 'primaria', address: 'Via Roma 1', serviceWeekdays: [1, 2, 3, 4, 5] });
  const cls = await api.call('classes.create', { schoolId: school.id, schoolYearId: year.id, name: '3A' });
  const nextCls = await api.call('classes.create', { schoolId: school.id, schoolYearId: nextYear.id, name: '4A' });
  await api.call('tariffs.create', { municipalityId: clusone.id, validFrom: years.current.startsOn, grossCents: 618, netCents: 595, vatRateBp: 400, description: 'Pasto scuola' });
  return { clusone, year, nextYear, school, cls, nextCls, years };
}

export const PUPIL = {
  firstName: 'Luca',
  lastName: 'Bianchi',
  birthDate: '2017-03-15',
  taxCode: buildCodiceFiscale({ lastName: 'Bianchi', firstName: 'Luca', birthDate: '2017-03-15', sex: 'M', belfiore: 'C800' }),
};

/** The same codice fiscale with a wrong check character. */
export const PUPIL_BAD_TAX_CODE = PUPIL.taxCode.slice(0, 15) + (PUPIL.taxCode[15] === 'A' ? 'B' : 'A');

/** The payer of the unit tests (test/support/people.ts). */
export const PAYER = VALID_PAYER;
