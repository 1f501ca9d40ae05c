/**
 * E7: the family reports changed personal data in the portal (the pupil's name, the payer's
 * e-mail, mobile, address; only the fields present change; the codici fiscali are keys and never
 * change from the portal).
 *
 * The conflict rule: the office's edit of master data wins over an OLDER portal change. If the
 * office changed the record (an audit_log record of the pupil or the payer, by an office user,
 * outside the portal's own procedures) after the moment the family acted, the portal's change is
 * not applied: the event goes to the review queue with both values, and the refused change is
 * written to the audit log too («variazione dal portale non applicata»). Otherwise it is applied,
 * with the same checks as the office's forms, and audited as «portale». Both are kept in the log.
 *
 * The payer must be the payer of one of the pupil's enrollments: a portal event cannot change the
 * data of someone else's payer by naming a codice fiscale.
 */
import { and, desc, eq, gt, like, ne, not } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { auditLog, enrollments, payers, pupils } from '../../db/schema';
import { zodIssues } from '../contract/errors';
import { requiredText } from '../contract/fields';
import { nextVersion } from '../contract/versions';
import { payerIn } from '../payers/procedures';
import { payerSearchText, checkPayer } from '../payers/service';
import { checkPupil, pupilSearchText } from '../pupils/service';
import type { InboundEvent } from './contract';
import { checkedTaxCode, pupilByTaxCode, ReviewNeeded, PORTAL_USERNAME, type ApplyEnv, type Applied } from './apply-common';
import { formatMomentIt } from '../contract/vocabulary/dates';

type PersonalData = Extract<InboundEvent, { type: 'personalData' }>;
type PupilRow = typeof pupils.$inferSelect;
type PayerRow = typeof payers.$inferSelect;

const PAYER_FIELDS = ['email', 'mobile', 'street', 'streetNumber', 'postcode', 'town', 'province', 'country'] as const;
type PayerField = (typeof PAYER_FIELDS)[number];
const FIELD_LABEL: Record<PayerField | 'firstName' | 'lastName', string> = {
  firstName: 'nome',
  lastName: 'cognome',
  email: 'e-mail',
  mobile: 'cellulare',
  street: 'via',
  streetNumber: 'numero civico',
  postcode: 'CAP',
  town: 'comune',
  province: 'provincia',
  country: 'nazione',
};

export interface OfficeEdit {
  at: string;
  username: string;
  action: string;
}

/** The office's latest change of a record after `after` (an ISO moment), if any: the portal's own changes do not count. */
export function officeEditAfter(db: AppDb, entity: string, entityId: number, after: string): OfficeEdit | null {
  return (
    db
      .select({ at: auditLog.at, username: auditLog.username, action: auditLog.action })
      .from(auditLog)
      .where(
        and(
          eq(auditLog.entity, entity),
          eq(auditLog.entityId, String(entityId)),
          gt(auditLog.at, after),
          ne(auditLog.username, PORTAL_USERNAME),
          not(like(auditLog.procedure, 'portal.%')),
        ),
      )
      .orderBy(desc(auditLog.at), desc(auditLog.id))
      .get() ?? null
  );
}

interface Change {
  record: 'alunno' | 'pagante';
  field: string;
  label: string;
  office: string;
  portal: string;
}

function pupilChanges(p: PupilRow, e: PersonalData): Change[] {
  const out: Change[] = [];
  for (const f of ['firstName', 'lastName'] as const) {
    const v = e.pupil?.[f];
    if (v === undefined) continue;
    const t = v.trim();
    if (t !== p[f]) out.push({ record: 'alunno', field: f, label: FIELD_LABEL[f], office: p[f], portal: t });
  }
  return out;
}

function payerChanges(p: PayerRow, e: PersonalData): Change[] {
  const d = e.payer;
  if (!d) return [];
  const wanted: Partial<Record<PayerField, string | undefined>> = {
    email: d.email,
    mobile: d.mobile,
    ...(d.address
      ? {
          street: d.address.street,
          streetNumber: d.address.streetNumber ?? '',
          postcode: d.address.postcode,
          town: d.address.town,
          province: d.address.province ?? '',
          country: d.address.country,
        }
      : {}),
  };
  const out: Change[] = [];
  for (const f of PAYER_FIELDS) {
    const v = wanted[f];
    if (v === undefined) continue;
    const t = v.trim();
    if (t !== p[f]) out.push({ record: 'pagante', field: f, label: FIELD_LABEL[f], office: p[f], portal: t });
  }
  return out;
}

const listed = (cs: Change[]) => cs.map((c) => `${c.record} ${c.label}: ufficio «${c.office}», portale «${c.portal}»`).join('; ');

export function applyPersonalData(env: ApplyEnv, e: PersonalData): Applied {
  const pupil = pupilByTaxCode(env.db, e.pupilTaxCode);
  let payer: PayerRow | null = null;
  if (e.payer) {
    const cf = checkedTaxCode(e.payer.taxCode, 'del pagante');
    payer = env.db.select().from(payers).where(eq(payers.taxCode, cf)).get() ?? null;
    if (!payer) throw new ReviewNeeded(`Nessun pagante registrato con il codice fiscale ${cf}: verificare il pagante dell'alunno e poi riprovare`, { links: { pupilId: pupil.id } });
    const pays = env.db
      .select({ id: enrollments.id })
      .from(enrollments)
      .where(and(eq(enrollments.pupilId, pupil.id), eq(enrollments.payerId, payer.id)))
      .get();
    if (!pays) {
      throw new ReviewNeeded(
        `Il pagante ${payer.lastName} ${payer.firstName} (${cf}) non risulta pagante di ${pupil.lastName} ${pupil.firstName}: variazione non applicata`,
        { links: { pupilId: pupil.id, payerId: payer.id } },
      );
    }
  }
  const links = { pupilId: pupil.id, payerId: payer?.id ?? null };
  const pc = pupilChanges(pupil, e);
  const yc = payer ? payerChanges(payer, e) : [];
  if (pc.length === 0 && yc.length === 0) return { status: 'applicato', message: 'Nessuna variazione: i dati comunicati sono già quelli registrati', links };

  // E7: the office's edit wins over an older portal change
  const occurred = new Date(e.occurredAt).toISOString();
  const conflicts: { record: string; edit: OfficeEdit; changes: Change[] }[] = [];
  const pupilEdit = pc.length ? officeEditAfter(env.db, 'alunno', pupil.id, occurred) : null;
  if (pupilEdit) conflicts.push({ record: 'alunno', edit: pupilEdit, changes: pc });
  const payerEdit = payer && yc.length ? officeEditAfter(env.db, 'pagante', payer.id, occurred) : null;
  if (payerEdit) conflicts.push({ record: 'pagante', edit: payerEdit, changes: yc });
  if (conflicts.length) {
    const c0 = conflicts[0];
    const message =
      `Variazione dei dati (E7) fatta dalla famiglia il ${formatMomentIt(occurred)}, ma l'ufficio ha modificato ${conflicts.map((c) => `il ${c.record}`).join(' e ')} dopo ` +
      `(${c0.edit.username}, ${formatMomentIt(c0.edit.at)}): vale la modifica dell'ufficio, la variazione non è applicata. ${listed(conflicts.flatMap((c) => c.changes))}`;
    throw new ReviewNeeded(message, {
      links,
      details: { conflitto: conflicts.map((c) => ({ scheda: c.record, modificaUfficio: c.edit, campi: c.changes })) },
      audit: conflicts.map((c) => ({
        entity: c.record,
        entityId: c.record === 'alunno' ? pupil.id : payer!.id,
        action: 'variazione dal portale non applicata (E7: vale la modifica più recente dell\'ufficio)',
        before: Object.fromEntries(c.changes.map((x) => [x.field, x.office])),
        after: Object.fromEntries(c.changes.map((x) => [x.field, x.portal])),
      })),
    });
  }

  const nowIso = env.now.toISOString();
  if (pc.length) {
    const values = { firstName: pupil.firstName, lastName: pupil.lastName };
    for (const c of pc) values[c.field as 'firstName' | 'lastName'] = c.portal;
    for (const f of ['firstName', 'lastName'] as const) {
      const r = requiredText(80).safeParse(values[f]);
      if (!r.success) throw new ReviewNeeded(`Variazione non applicata: ${FIELD_LABEL[f]} dell'alunno non valido (${r.error.issues[0].message})`, { links });
      values[f] = r.data;
    }
    checkPupil(env.db, { ...pupil, ...values }, pupil.id);
    const after = env.db
      .update(pupils)
      .set({ ...values, searchText: pupilSearchText({ ...pupil, ...values }), updatedAt: nowIso, version: nextVersion(pupils.version) })
      .where(eq(pupils.id, pupil.id))
      .returning()
      .get();
    env.audit({ entity: 'alunno', entityId: pupil.id, action: 'modifica dal portale (E7)', before: pupil, after });
  }
  if (payer && yc.length) {
    const merged: Record<string, unknown> = { ...payer, delegates: [] };
    for (const c of yc) merged[c.field] = c.portal;
    const parsed = payerIn.safeParse(merged);
    if (!parsed.success) {
      const issues = zodIssues(parsed.error).filter((i) => PAYER_FIELDS.includes(i.path[0] as PayerField));
      const why = (issues.length ? issues : zodIssues(parsed.error)).map((i) => `${FIELD_LABEL[i.path[0] as PayerField] ?? i.path.join('.')}: ${i.message}`).join('; ');
      throw new ReviewNeeded(`Variazione dei dati del pagante non applicata: ${why}`, { links });
    }
    const { delegates: _d, ...input } = parsed.data;
    checkPayer(env.db, input, payer.id);
    const set = Object.fromEntries(PAYER_FIELDS.map((f) => [f, input[f]])) as Pick<PayerRow, PayerField>;
    const after = env.db
      .update(payers)
      .set({ ...set, searchText: payerSearchText({ ...payer, ...set }), updatedAt: nowIso, version: nextVersion(payers.version) })
      .where(eq(payers.id, payer.id))
      .returning()
      .get();
    env.audit({ entity: 'pagante', entityId: payer.id, action: 'modifica dal portale (E7)', before: payer, after });
  }
  return { status: 'applicato', message: `Variazione dei dati applicata (E7): ${listed([...pc, ...yc])}`, links, details: { campi: [...pc, ...yc] } };
}

