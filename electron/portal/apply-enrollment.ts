/**
 * E1–E4, P5, DI1/DI2/DI5: an enrollment or a renewal made online by the family.
 *
 * Applied through the areas' own checks: the pupil is found by codice fiscale (registered when new,
 * pupils/service.ts), the payer by codice fiscale (registered when new, with the checks of the
 * payer form: E3 e-mail, mobile, codice fiscale), the enrollment in the named school year
 * (enrollments/service.ts: school weekdays E4, one per year, the debt block of the municipality's
 * regulation, activation requirements), a renewal linked to last year's enrollment (E2), the diet
 * requests recorded with source 'portale' and their attachments checked by content (diets area).
 *
 * SDD (P5): a mandate is a signed document the office registers (electron/sdd/mandates.ts); the
 * portal sends the IBAN and the holder but no signed mandate. So an SDD enrollment applies only
 * when the payer already has an active mandate on that IBAN; otherwise it goes to the review
 * queue, «mandato da registrare in ufficio», and the office retries after registering it.
 *
 * An existing payer's contacts are not changed by an enrollment: changes of personal data travel
 * as 'personalData' events, with their conflict rule (E7).
 */
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { classes, dietTypes, enrollments, payers, pupils, schools, schoolYears } from '../../db/schema';
import { zodIssues } from '../contract/errors';
import { compactMobile } from '../contract/fields';
import { romeDateOf, formatDateIt } from '../calendar/rome-time';
import { assertEnrollmentAllowed } from '../debts/enrollment-blocks';
import { createRequest } from '../diets/service';
import { checkEnrollment, getEnrollment, insertEnrollment, windowWarning } from '../enrollments/service';
import { checkParents, getParents, saveParents } from '../enrollments/parents';
import { decodeCodiceFiscale } from '../identifiers/codice-fiscale';
import { normalizeIban, validateIban } from '../identifiers/iban';
import { payerIn } from '../payers/procedures';
import { checkPayer, getPayer, insertPayer } from '../payers/service';
import { checkPupil, getPupil, insertPupil } from '../pupils/service';
import { activeMandateForPayer } from '../sdd/mandates';
import { createHash } from 'node:crypto';
import type { InboundEvent } from './contract';
import { actingUser, checkedTaxCode, ReviewNeeded, type ApplyEnv, type Applied, type Links } from './apply-common';

type Enrollment = Extract<InboundEvent, { type: 'enrollment' }>;

export const SDD_MANDATE_NEEDED = 'mandato da registrare in ufficio';

function findPayer(env: ApplyEnv, e: Enrollment, cf: string, links: Links, notes: string[]) {
  const existing = env.db.select().from(payers).where(eq(payers.taxCode, cf)).get();
  if (existing) {
    notes.push(`pagante già registrato (${existing.lastName} ${existing.firstName})`);
    return existing.id;
  }
  const a = e.payer.address;
  const parsed = payerIn.safeParse({
    firstName: e.payer.firstName,
    lastName: e.payer.lastName,
    taxCode: cf,
    email: e.payer.email,
    mobile: e.payer.mobile,
    street: a?.street ?? '',
    streetNumber: a?.streetNumber ?? '',
    postcode: a?.postcode ?? '',
    town: a?.town ?? '',
    province: a?.province ?? '',
    country: a?.country ?? 'IT',
    iban: null,
    ibanHolder: null,
    delegates: [],
  });
  if (!parsed.success) {
    const why = zodIssues(parsed.error).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ReviewNeeded(`Dati del pagante non validi (E3): ${why}`, { links, details: { problemi: zodIssues(parsed.error) } });
  }
  const { delegates: _d, ...input } = parsed.data;
  checkPayer(env.db, input);
  const row = insertPayer(env.db, env.now.toISOString(), { ...input, mobile: compactMobile(input.mobile) });
  env.audit({ entity: 'pagante', entityId: row.id, action: 'creazione dal portale', after: getPayer(env.db, row.id) });
  notes.push(`pagante registrato (${row.lastName} ${row.firstName})`);
  return row.id;
}

function findPupil(env: ApplyEnv, e: Enrollment, cf: string, schoolId: number, classId: number | null, notes: string[]) {
  const existing = env.db.select().from(pupils).where(eq(pupils.taxCode, cf)).get();
  if (existing) return existing.id;
  const birthDate = e.pupil.birthDate ?? decodeCodiceFiscale(cf, Number(romeDateOf(env.now).slice(0, 4))).birthDate;
  const input = { firstName: e.pupil.firstName.trim(), lastName: e.pupil.lastName.trim(), birthDate, taxCode: cf, schoolId, classId, notes: '' };
  if (!input.firstName || !input.lastName) throw new ReviewNeeded("Nome e cognome dell'alunno sono obbligatori");
  checkPupil(env.db, input);
  const row = insertPupil(env.db, env.now.toISOString(), input);
  env.audit({ entity: 'alunno', entityId: row.id, action: 'creazione dal portale', after: row });
  notes.push(`alunno registrato (codice utente ${row.userCode})`);
  return row.id;
}

/** P5: the payer's active mandate must be on the IBAN the family gave; otherwise the office registers it. */
function checkSdd(env: ApplyEnv, e: Enrollment, payerCf: string, links: Links): void {
  if (e.paymentMethod !== 'sdd') return;
  if (!e.sdd) throw new ReviewNeeded("Iscrizione con addebito SDD senza IBAN e intestatario del conto (P5): chiederli alla famiglia", { links });
  const v = validateIban(e.sdd.iban);
  const ibanText = v.ok ? v.value : e.sdd.iban.trim();
  const payer = env.db.select({ id: payers.id }).from(payers).where(eq(payers.taxCode, payerCf)).get();
  const mandate = payer ? activeMandateForPayer(env.db, payer.id) : null;
  if (v.ok && mandate && normalizeIban(mandate.iban) === v.value) return;
  const why = !v.ok ? `IBAN non valido (${v.message}); ` : mandate ? `il mandato attivo ${mandate.umr} è su un altro IBAN; ` : '';
  throw new ReviewNeeded(
    `Iscrizione con addebito SDD: ${SDD_MANDATE_NEEDED} (${why}IBAN ${ibanText}, intestatario ${e.sdd.holderName}, codice fiscale ${e.sdd.holderTaxCode}). ` +
      'Registrare il pagante e il mandato firmato, poi riprovare',
    { links, details: { sdd: { iban: ibanText, intestatario: e.sdd.holderName, codiceFiscaleIntestatario: e.sdd.holderTaxCode } } },
  );
}

function dietRequests(env: ApplyEnv, e: Enrollment, pupilId: number, schoolYearId: number, links: Links): number[] {
  const ids: number[] = [];
  e.diets.forEach((d, n) => {
    const types = d.dietCodes.map((code) => {
      const t = env.db.select().from(dietTypes).where(sql`lower(${dietTypes.code}) = lower(${code.trim()})`).get();
      if (!t) throw new ReviewNeeded(`Dieta n. ${n + 1}: il codice «${code}» non è nel catalogo delle diete dell'ufficio`, { links });
      return t.id;
    });
    d.attachments.forEach((a, i) => {
      const bytes = Buffer.from(a.contentBase64.replace(/\s+/g, ''), 'base64');
      if (createHash('sha256').update(bytes).digest('hex') !== a.sha256) {
        throw new ReviewNeeded(`Dieta n. ${n + 1}, allegato ${i + 1} («${a.fileName}»): il contenuto non corrisponde all'impronta SHA-256 dichiarata (file danneggiato nel trasferimento)`, { links });
      }
    });
    const r = createRequest(
      env.db,
      {
        pupilId,
        schoolYearId,
        category: d.category,
        dietTypeIds: types,
        source: 'portale',
        receivedOn: romeDateOf(env.now),
        details: d.details?.trim() ?? '',
        validUntil: d.certificateEndsOn ?? null,
        attachments: d.attachments.map((a) => ({ fileName: a.fileName, contentBase64: a.contentBase64, kind: a.kind })),
      },
      actingUser(env),
      env.now,
    );
    // the record names the files and their hashes, never their content (health data)
    env.audit({
      entity: 'richiesta_dieta',
      entityId: r.request.id,
      action: 'crea dal portale',
      after: { ...r.request, dietTypeIds: r.dietTypeIds, allegati: r.attachments.map((x) => ({ id: x.id, file: x.fileName, tipo: x.mimeType, byte: x.sizeBytes, sha256: x.sha256 })) },
    });
    ids.push(r.request.id);
  });
  return ids;
}

export function applyEnrollment(env: ApplyEnv, e: Enrollment): Applied {
  const today = romeDateOf(env.now);
  const pupilCf = checkedTaxCode(e.pupil.taxCode, "dell'alunno");
  const payerCf = checkedTaxCode(e.payer.taxCode, 'del pagante');
  const known = env.db.select({ id: pupils.id }).from(pupils).where(eq(pupils.taxCode, pupilCf)).get();
  const links: Links = { pupilId: known?.id ?? null };
  const year = env.db.select().from(schoolYears).where(eq(schoolYears.label, e.schoolYear)).get();
  if (!year) throw new ReviewNeeded(`Anno scolastico ${e.schoolYear} non presente in archivio: crearlo (Archivio › Anni scolastici) e poi riprovare`, { links });
  const school = env.db.select().from(schools).where(eq(schools.id, e.schoolId)).get();
  if (!school) throw new ReviewNeeded(`Scuola n. ${e.schoolId} non presente in archivio: verificare l'elenco delle scuole pubblicato al portale`, { links });
  const notes: string[] = [];
  let classId: number | null = null;
  if (e.className?.trim()) {
    const cls = env.db
      .select({ id: classes.id })
      .from(classes)
      .where(and(eq(classes.schoolId, school.id), eq(classes.schoolYearId, year.id), sql`lower(${classes.name}) = lower(${e.className.trim()})`))
      .get();
    if (cls) classId = cls.id;
    else notes.push(`classe «${e.className.trim()}» non trovata in ${school.name} per il ${year.label}: da assegnare in ufficio`);
  }
  checkSdd(env, e, payerCf, links);

  const payerId = findPayer(env, e, payerCf, links, notes);
  links.payerId = payerId;
  const pupilId = findPupil(env, e, pupilCf, school.id, classId, notes);
  links.pupilId = pupilId;

  const input = {
    pupilId,
    schoolYearId: year.id,
    payerId,
    schoolId: school.id,
    classId,
    weekdays: [...new Set(e.weekdays)].sort((a, b) => a - b),
    paymentMethod: e.paymentMethod,
    startsOn: null,
    notes: `Dal portale delle famiglie (evento ${e.id})`,
  };
  const parents = { payerId, enrolledById: null, secondParentId: null, taxStatementNames: 'pagante' as const, payerSharePct: 50, secondParentSharePct: 50 };
  checkEnrollment(env.db, input);
  checkParents(env.db, parents);
  assertEnrollmentAllowed(env.db, today, input);
  // E2: a renewal continues the pupil's latest enrollment of an earlier year
  const previous = e.renewal
    ? env.db
        .select({ id: enrollments.id })
        .from(enrollments)
        .innerJoin(schoolYears, eq(schoolYears.id, enrollments.schoolYearId))
        .where(and(eq(enrollments.pupilId, pupilId), lt(schoolYears.startsOn, year.startsOn)))
        .orderBy(desc(schoolYears.startsOn))
        .get()
    : undefined;
  if (e.renewal && !previous) notes.push("rinnovo senza un'iscrizione dell'anno precedente: registrato come nuova iscrizione");
  const nowIso = env.now.toISOString();
  const row = insertEnrollment(env.db, nowIso, today, input, 'attiva', previous?.id ?? null);
  saveParents(env.db, row.id, nowIso, parents);
  env.audit({ entity: 'iscrizione', entityId: row.id, action: e.renewal ? 'rinnovo dal portale' : 'creazione dal portale', after: { ...row, ...getParents(env.db, row.id) } });
  links.enrollmentId = row.id;
  const warning = windowWarning(env.db, school.id, today);
  if (warning) notes.push(warning);
  const diets = dietRequests(env, e, pupilId, year.id, links);
  links.dietRequestIds = diets;
  if (diets.length) notes.push(`${diets.length === 1 ? 'una richiesta di dieta' : `${diets.length} richieste di dieta`} in attesa di decisione`);
  const enr = getEnrollment(env.db, row.id);
  const pupil = getPupil(env.db, pupilId, today);
  return {
    status: 'applicato',
    message: `${e.renewal ? 'Rinnovo' : 'Iscrizione'} ${year.label} di ${pupil.lastName} ${pupil.firstName} a ${enr.schoolName} registrata e attiva dal ${formatDateIt(row.startsOn)}${notes.length ? `; ${notes.join('; ')}` : ''}`,
    links,
  };
}
