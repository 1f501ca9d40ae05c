/**
 * Bank returns (P6; issue 9 "Bank returns"): each line of the bank's outcome file is matched to a
 * debit by its EndToEndId, cross-checked (amount, batch message id), and recorded once: importing the
 * same file twice changes nothing. A return after the collection was recorded reverses it in the
 * ledger (an `insoluto` entry: the family owes the amount again); a rejection before it leaves the
 * debt open (nothing was collected). The family is marked for follow-up by the reason code; a code
 * that says the mandate or the account is wrong blocks the mandate until it is amended.
 */
import { eq, inArray, sql } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { ledgerEntries, payers, pupils, sddBatches, sddDebits, sddMandates, sddPagopaExceptions, sddReturns, type SDD_FOLLOW_UPS } from '../../db/schema';
import { conflict, invalidField, notFound } from '../contract/errors';
import { nextVersion } from '../contract/versions';
import { formatDateIt, romeDateOf } from '../calendar/rome-time';
import { euro } from '../documents/format';
import { postEntry } from '../ledger/entries';
import type { Actor } from '../ledger/payments';
import type { SddReturnLine } from './file-types';
import { returnReason } from './reason-codes';

type FollowUp = (typeof SDD_FOLLOW_UPS)[number];

export interface ReturnCheck {
  line: number;
  endToEndId: string;
  reasonCode: string;
  reasonText: string;
  followUp: FollowUp | null;
  amountCents: number | null;
  returnedOn: string | null;
  /** 'nuovo': will be recorded; 'gia_registrato': already there (nothing changes); 'errore': cannot be recorded */
  outcome: 'nuovo' | 'gia_registrato' | 'errore';
  message: string;
  debitId: number | null;
  pupilName: string | null;
  payerName: string | null;
  batchId: number | null;
}

/** Checks every line against the database without writing anything. */
export function checkReturns(db: AppDb, lines: SddReturnLine[]): ReturnCheck[] {
  const ids = [...new Set(lines.map((l) => l.endToEndId))];
  const found = new Map<string, { debit: typeof sddDebits.$inferSelect; batch: typeof sddBatches.$inferSelect; pupilName: string; payerName: string; returned: number | null }>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = db
      .select({
        debit: sddDebits,
        batch: sddBatches,
        pupilName: sql<string>`${pupils.lastName} || ' ' || ${pupils.firstName}`,
        payerName: sql<string>`${payers.lastName} || ' ' || ${payers.firstName}`,
        returned: sddReturns.id,
      })
      .from(sddDebits)
      .innerJoin(sddBatches, eq(sddBatches.id, sddDebits.batchId))
      .innerJoin(pupils, eq(pupils.id, sddDebits.pupilId))
      .innerJoin(payers, eq(payers.id, sddDebits.payerId))
      .leftJoin(sddReturns, eq(sddReturns.debitId, sddDebits.id))
      .where(inArray(sddDebits.endToEndId, ids.slice(i, i + 500)))
      .all();
    for (const r of rows) found.set(r.debit.endToEndId, r);
  }
  const seen = new Set<string>();
  return lines.map((l, i) => {
    const reason = returnReason(l.reasonCode);
    const base = {
      line: i + 1,
      endToEndId: l.endToEndId,
      reasonCode: l.reasonCode,
      reasonText: reason?.italian ?? 'Codice motivo sconosciuto',
      followUp: reason?.followUp ?? null,
      amountCents: l.amountCents,
      returnedOn: l.returnedOn,
      debitId: null,
      pupilName: null,
      payerName: null,
      batchId: null,
    };
    const error = (message: string): ReturnCheck => ({ ...base, outcome: 'errore', message });
    if (!reason) return error(`Codice motivo «${l.reasonCode}» sconosciuto: non è un codice SDD`);
    const f = found.get(l.endToEndId);
    if (!f) return error(`Nessun addebito con identificativo ${l.endToEndId}`);
    const withDebit = { ...base, debitId: f.debit.id, pupilName: f.pupilName, payerName: f.payerName, batchId: f.batch.id };
    if (seen.has(l.endToEndId)) return { ...withDebit, outcome: 'errore', message: 'Riga ripetuta nel file: si registra una volta sola' };
    seen.add(l.endToEndId);
    if (f.returned !== null) return { ...withDebit, outcome: 'gia_registrato', message: 'Insoluto già registrato: nessuna modifica' };
    if (!f.debit.included) return { ...withDebit, outcome: 'errore', message: 'Addebito escluso dalla distinta: non è stato presentato alla banca' };
    if (f.batch.status !== 'esportato' && f.batch.status !== 'incassato') {
      return { ...withDebit, outcome: 'errore', message: `La distinta n. ${f.batch.id} non risulta inviata alla banca (stato: ${f.batch.status})` };
    }
    if (l.originalMessageId && f.batch.msgId && l.originalMessageId !== f.batch.msgId) {
      return { ...withDebit, outcome: 'errore', message: `Il file si riferisce al messaggio ${l.originalMessageId}, ma l'addebito è nel messaggio ${f.batch.msgId}` };
    }
    if (l.amountCents !== null && l.amountCents !== f.debit.amountCents) {
      return { ...withDebit, outcome: 'errore', message: `Importo diverso dall'addebito: ${euro(l.amountCents)} nel file, ${euro(f.debit.amountCents)} addebitati` };
    }
    return { ...withDebit, outcome: 'nuovo', message: `${reason.italian}: ${followUpLabel(reason.followUp)}` };
  });
}


export function followUpLabel(f: FollowUp): string {
  return f === 'da_incassare' ? 'debito da recuperare' : f === 'correggere_mandato' ? 'correggere prima il mandato' : 'correggere i dati e ripresentare';
}

/**
 * Records the new returns of a checked file: all or nothing (a line in error stops the import; lines
 * already recorded are skipped).
 */
export function recordReturns(db: AppDb, input: { lines: SddReturnLine[]; source: string }, actor: Actor): { recorded: number; skipped: number; totalCents: number } {
  const checks = checkReturns(db, input.lines);
  const errors = checks.filter((c) => c.outcome === 'errore');
  if (errors.length > 0) {
    throw invalidField(['lines', errors[0].line - 1], `Riga ${errors[0].line}: ${errors[0].message}${errors.length > 1 ? ` (e altre ${errors.length - 1} righe con errori)` : ''}`);
  }
  const today = romeDateOf(actor.at);
  let recorded = 0;
  let totalCents = 0;
  for (const c of checks) {
    if (c.outcome !== 'nuovo' || c.debitId === null) continue;
    const debit = db.select().from(sddDebits).where(eq(sddDebits.id, c.debitId)).get()!;
    const reason = returnReason(c.reasonCode)!;
    const collection = db
      .select()
      .from(ledgerEntries)
      .where(sql`${ledgerEntries.sddDebitId} = ${debit.id} AND ${ledgerEntries.kind} = 'incasso_sdd'`)
      .get();
    const returnedOn = c.returnedOn && c.returnedOn <= today ? c.returnedOn : today;
    let ledgerEntryId: number | null = null;
    let returnType: 'rifiuto' | 'storno' | 'rimborso' = 'rifiuto';
    if (collection) {
      // settled: the collected amount leaves again, on the day the bank took it back (P6 debt)
      const bookedOn = returnedOn < collection.bookedOn ? collection.bookedOn : returnedOn;
      const entry = postEntry(db, {
        accountId: collection.accountId,
        kind: 'insoluto',
        amountCents: -collection.amountCents,
        bookedOn,
        settledOn: bookedOn,
        channel: 'sdd',
        payerId: debit.payerId,
        sddDebitId: debit.id,
        externalRef: debit.endToEndId,
        reasonCode: c.reasonCode,
        reason: reason.italian,
        createdBy: actor.userId,
        at: actor.at,
      });
      ledgerEntryId = entry.id;
      returnType = reason.refund ? 'rimborso' : 'storno';
    }
    db.insert(sddReturns)
      .values({
        debitId: debit.id,
        reasonCode: c.reasonCode,
        returnType,
        followUp: reason.followUp,
        amountCents: debit.amountCents,
        returnedOn,
        ledgerEntryId,
        source: input.source.slice(0, 300),
        createdAt: actor.at.toISOString(),
        createdBy: actor.userId,
      })
      .run();
    if (reason.followUp === 'correggere_mandato' && debit.mandateId !== null) {
      db.update(sddMandates)
        .set({ blockedReason: `Insoluto ${c.reasonCode} del ${formatDateIt(returnedOn)}: ${reason.italian}`, blockedAt: actor.at.toISOString(), updatedAt: actor.at.toISOString(), version: nextVersion(sddMandates.version) })
        .where(sql`${sddMandates.id} = ${debit.mandateId} AND ${sddMandates.status} = 'attivo'`)
        .run();
    }
    recorded++;
    totalCents += debit.amountCents;
  }
  return { recorded, skipped: checks.length - recorded, totalCents };
}

/** Returned debits, newest first, for the follow-up list (debts issue builds on it). */
export function listReturns(db: AppDb, q: { followUp?: FollowUp | null; offset: number; limit: number }) {
  const where = q.followUp ? eq(sddReturns.followUp, q.followUp) : undefined;
  const rows = db
    .select({
      id: sddReturns.id,
      debitId: sddReturns.debitId,
      batchId: sddDebits.batchId,
      month: sddBatches.month,
      endToEndId: sddDebits.endToEndId,
      reasonCode: sddReturns.reasonCode,
      returnType: sddReturns.returnType,
      followUp: sddReturns.followUp,
      amountCents: sddReturns.amountCents,
      returnedOn: sddReturns.returnedOn,
      reversed: sql<boolean>`${sddReturns.ledgerEntryId} IS NOT NULL`.mapWith(Boolean),
      pupilId: sddDebits.pupilId,
      pupilName: sql<string>`${pupils.lastName} || ' ' || ${pupils.firstName}`,
      payerId: sddDebits.payerId,
      payerName: sql<string>`${payers.lastName} || ' ' || ${payers.firstName}`,
      /** the payer's open P6 exception, if any */
      pagopaExceptionId: sql<number | null>`(SELECT x.id FROM sdd_pagopa_exceptions x WHERE x.payer_id = ${sddDebits.payerId} AND x.ended_on IS NULL)`,
    })
    .from(sddReturns)
    .innerJoin(sddDebits, eq(sddDebits.id, sddReturns.debitId))
    .innerJoin(sddBatches, eq(sddBatches.id, sddDebits.batchId))
    .innerJoin(pupils, eq(pupils.id, sddDebits.pupilId))
    .innerJoin(payers, eq(payers.id, sddDebits.payerId))
    .where(where)
    .orderBy(sql`${sddReturns.returnedOn} DESC, ${sddReturns.id} DESC`)
    .limit(q.limit)
    .offset(q.offset)
    .all()
    .map((r) => ({ ...r, pagopaException: r.pagopaExceptionId !== null, reasonText: returnReason(r.reasonCode)?.italian ?? r.reasonCode }));
  const total = db.select({ n: sql<number>`count(*)` }).from(sddReturns).where(where).get()!.n;
  return { total, rows };
}

// ---------------------------------------------------------------------------------------------
// P6: pagoPA notice instead of SDD, by exception
// ---------------------------------------------------------------------------------------------

/**
 * P6: only families without a bank account, or with returned debits, may pay by pagoPA notice
 * instead of SDD, by exception, through the fees office. While the exception is open the payer's
 * pupils are left out of the SDD batches (with that reason) and pay their debt by notice.
 */
export function grantPagopaException(db: AppDb, input: { payerId: number; ground: 'senza_conto' | 'insoluti'; reason: string }, actor: Actor) {
  const payer = db.select({ id: payers.id }).from(payers).where(eq(payers.id, input.payerId)).get();
  if (!payer) throw notFound('Pagante');
  if (input.ground === 'insoluti') {
    const returned = db
      .select({ n: sql<number>`count(*)` })
      .from(sddReturns)
      .innerJoin(sddDebits, eq(sddDebits.id, sddReturns.debitId))
      .where(eq(sddDebits.payerId, input.payerId))
      .get()!.n;
    if (returned === 0) throw invalidField('ground', 'Questo pagante non ha addebiti SDD insoluti: l\'eccezione per insoluti non si può concedere (P6)');
  } else {
    const active = db.select({ id: sddMandates.id }).from(sddMandates).where(sql`${sddMandates.payerId} = ${input.payerId} AND ${sddMandates.status} = 'attivo'`).get();
    if (active) throw invalidField('ground', 'Il pagante ha un mandato SDD attivo, quindi un conto: revocare il mandato o scegliere il motivo «insoluti»');
  }
  const open = db.select({ id: sddPagopaExceptions.id }).from(sddPagopaExceptions).where(sql`${sddPagopaExceptions.payerId} = ${input.payerId} AND ${sddPagopaExceptions.endedOn} IS NULL`).get();
  if (open) throw conflict('Il pagante ha già un\'eccezione pagoPA in corso');
  return db
    .insert(sddPagopaExceptions)
    .values({ payerId: input.payerId, ground: input.ground, reason: input.reason, grantedOn: romeDateOf(actor.at), grantedBy: actor.userId, createdAt: actor.at.toISOString() })
    .returning()
    .get();
}

export function endPagopaException(db: AppDb, exceptionId: number, actor: Actor) {
  const x = db.select().from(sddPagopaExceptions).where(eq(sddPagopaExceptions.id, exceptionId)).get();
  if (!x) throw notFound('Eccezione pagoPA');
  if (x.endedOn) throw conflict('Eccezione già chiusa');
  return db.update(sddPagopaExceptions).set({ endedOn: romeDateOf(actor.at), endedBy: actor.userId }).where(eq(sddPagopaExceptions.id, exceptionId)).returning().get();
}

export function listPagopaExceptions(db: AppDb, q: { openOnly: boolean }) {
  return db
    .select({
      id: sddPagopaExceptions.id,
      payerId: sddPagopaExceptions.payerId,
      payerName: sql<string>`${payers.lastName} || ' ' || ${payers.firstName}`,
      payerTaxCode: payers.taxCode,
      ground: sddPagopaExceptions.ground,
      reason: sddPagopaExceptions.reason,
      grantedOn: sddPagopaExceptions.grantedOn,
      endedOn: sddPagopaExceptions.endedOn,
    })
    .from(sddPagopaExceptions)
    .innerJoin(payers, eq(payers.id, sddPagopaExceptions.payerId))
    .where(q.openOnly ? sql`${sddPagopaExceptions.endedOn} IS NULL` : undefined)
    .orderBy(sql`${sddPagopaExceptions.grantedOn} DESC`)
    .all();
}
