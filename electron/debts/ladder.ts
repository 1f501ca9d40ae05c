/**
 * The debt procedure of each municipality (issue 11): its ladder of steps and what its regulation
 * allows. A municipality without steps uses the defaults, modelled on real regulations (a reminder
 * at about 15 €, a written reminder 15-30 days later, a formal notice by registered letter above
 * about 50 € with 15 days to pay); they are stored the first time a step is recorded or the ladder
 * is saved. Suspension and refusal of next year's enrollment are off until a supervisor says the
 * municipality's regulation allows them.
 */
import { asc, eq } from 'drizzle-orm';
import type { AppDb } from '../../db/open';
import { debtLadderSteps, debtSettings, municipalities, type DebtChannel } from '../../db/schema';
import { invalid, invalidField, notFound, type FieldIssue } from '../contract/errors';
import { nextVersion } from '../contract/versions';
import type { Actor } from '../ledger/payments';
import { DEBT_CHANNEL_LABEL, DEBT_PLACEHOLDER_HELP } from '../contract/vocabulary/debts';

export interface LadderStep {
  position: number;
  name: string;
  thresholdCents: number | null;
  thresholdMeals: number | null;
  minDaysSincePrevious: number;
  channel: DebtChannel;
  template: string;
  daysToPay: number;
}

export interface Ladder {
  municipalityId: number;
  municipalityName: string;
  /** true while the municipality has no steps of its own (the defaults are shown) */
  isDefault: boolean;
  suspensionAllowed: boolean;
  enrollmentRefusalAllowed: boolean;
  steps: LadderStep[];
}

export const CHANNEL_LABELS: Record<DebtChannel, string> = DEBT_CHANNEL_LABEL;

/** The placeholders a letter's text may use. */
export const PLACEHOLDERS = Object.keys(DEBT_PLACEHOLDER_HELP) as (keyof typeof DEBT_PLACEHOLDER_HELP)[];

export const DEFAULT_STEPS: LadderStep[] = [
  {
    position: 1,
    name: 'Sollecito',
    thresholdCents: 1500,
    thresholdMeals: null,
    minDaysSincePrevious: 0,
    channel: 'email_sms',
    daysToPay: 15,
    template:
      'Gentile {pagante},\nil credito per il servizio di refezione scolastica risulta esaurito e alla data del {data} il saldo è negativo per {importo}.\nLa invitiamo a ricaricare il conto entro il {scadenza} ({giorni} giorni). Se ha già provveduto, non tenga conto di questo avviso.',
  },
  {
    position: 2,
    name: 'Sollecito scritto',
    thresholdCents: 1500,
    thresholdMeals: null,
    minDaysSincePrevious: 15,
    channel: 'lettera',
    daysToPay: 15,
    template:
      'Gentile {pagante},\nnonostante il precedente sollecito, alla data del {data} risulta ancora da pagare per il servizio di refezione scolastica del Comune di {comune} l\'importo di {importo}.\nLa invitiamo a regolarizzare la posizione entro il {scadenza} ({giorni} giorni dal ricevimento), oppure a contattare l\'ufficio rette per concordare un piano di rientro.',
  },
  {
    position: 3,
    name: 'Diffida e messa in mora',
    thresholdCents: 5000,
    thresholdMeals: null,
    minDaysSincePrevious: 15,
    channel: 'raccomandata_ar',
    daysToPay: 15,
    template:
      'Gentile {pagante},\ncon la presente La diffidiamo formalmente a pagare l\'importo di {importo}, dovuto per il servizio di refezione scolastica del Comune di {comune} e non ancora versato nonostante i solleciti.\nIl pagamento deve avvenire entro il {scadenza} ({giorni} giorni dal ricevimento). In mancanza, la posizione sarà segnalata al Comune per la riscossione coattiva e, dove il regolamento comunale lo prevede, si potrà procedere alla sospensione del servizio o al diniego dell\'iscrizione per l\'anno successivo.\nSe ha già provveduto al pagamento, non tenga conto della presente.',
  },
];

function municipalityName(db: AppDb, municipalityId: number): string {
  const m = db.select({ name: municipalities.name }).from(municipalities).where(eq(municipalities.id, municipalityId)).get();
  if (!m) throw notFound('Comune');
  return m.name;
}

function storedSteps(db: AppDb, municipalityId: number): LadderStep[] {
  return db
    .select({
      position: debtLadderSteps.position,
      name: debtLadderSteps.name,
      thresholdCents: debtLadderSteps.thresholdCents,
      thresholdMeals: debtLadderSteps.thresholdMeals,
      minDaysSincePrevious: debtLadderSteps.minDaysSincePrevious,
      channel: debtLadderSteps.channel,
      template: debtLadderSteps.template,
      daysToPay: debtLadderSteps.daysToPay,
    })
    .from(debtLadderSteps)
    .where(eq(debtLadderSteps.municipalityId, municipalityId))
    .orderBy(asc(debtLadderSteps.position))
    .all();
}

/** The ladder of a municipality: its own steps, or the defaults. */
export function getLadder(db: AppDb, municipalityId: number): Ladder {
  const name = municipalityName(db, municipalityId);
  const steps = storedSteps(db, municipalityId);
  const s = db.select().from(debtSettings).where(eq(debtSettings.municipalityId, municipalityId)).get();
  return {
    municipalityId,
    municipalityName: name,
    isDefault: steps.length === 0,
    suspensionAllowed: s?.suspensionAllowed ?? false,
    enrollmentRefusalAllowed: s?.enrollmentRefusalAllowed ?? false,
    steps: steps.length ? steps : DEFAULT_STEPS.map((d) => ({ ...d })),
  };
}

/** Stores the defaults for a municipality that has no steps yet (before a step is recorded). */
export function ensureLadder(db: AppDb, municipalityId: number, actor: Actor): Ladder {
  const l = getLadder(db, municipalityId);
  if (l.isDefault) {
    const at = actor.at.toISOString();
    for (const s of l.steps) db.insert(debtLadderSteps).values({ ...s, municipalityId, updatedAt: at, updatedBy: actor.userId }).run();
  }
  return { ...l, isDefault: false };
}

/** The placeholders a text uses that do not exist ({importo} is fine, {cifra} is not). */
export function unknownPlaceholders(template: string): string[] {
  const known = new Set<string>(PLACEHOLDERS);
  return [...template.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]).filter((p) => !known.has(p));
}

export interface LadderUpdate {
  municipalityId: number;
  suspensionAllowed: boolean;
  enrollmentRefusalAllowed: boolean;
  steps: Omit<LadderStep, 'position'>[];
}

/**
 * Saves a municipality's ladder (supervisor): the steps in the order given. Thresholds never go
 * down from one step to the next (a later step asks at least as much as the one before).
 */
export function updateLadder(db: AppDb, input: LadderUpdate, actor: Actor): { before: Ladder; after: Ladder } {
  const before = getLadder(db, input.municipalityId);
  const issues: FieldIssue[] = [];
  input.steps.forEach((s, i) => {
    if (s.thresholdCents === null && s.thresholdMeals === null) issues.push({ path: ['steps', i, 'thresholdCents'], message: 'Indicare una soglia in euro, in pasti oltre il credito, o entrambe' });
    const unknown = unknownPlaceholders(s.template);
    if (unknown.length) issues.push({ path: ['steps', i, 'template'], message: `Segnaposto sconosciuti nel testo: ${unknown.map((u) => `{${u}}`).join(', ')}. Ammessi: ${PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}` });
    const prev = input.steps[i - 1];
    if (prev && s.thresholdCents !== null && prev.thresholdCents !== null && s.thresholdCents < prev.thresholdCents) {
      issues.push({ path: ['steps', i, 'thresholdCents'], message: 'La soglia non può essere più bassa di quella del passo precedente' });
    }
  });
  if (issues.length) throw invalid(issues);
  if (input.steps.length === 0) throw invalidField('steps', 'La procedura deve avere almeno un passo');
  const at = actor.at.toISOString();
  db.delete(debtLadderSteps).where(eq(debtLadderSteps.municipalityId, input.municipalityId)).run();
  input.steps.forEach((s, i) => db.insert(debtLadderSteps).values({ ...s, position: i + 1, municipalityId: input.municipalityId, updatedAt: at, updatedBy: actor.userId }).run());
  db.insert(debtSettings)
    .values({ municipalityId: input.municipalityId, suspensionAllowed: input.suspensionAllowed, enrollmentRefusalAllowed: input.enrollmentRefusalAllowed, updatedAt: at, updatedBy: actor.userId })
    .onConflictDoUpdate({ target: debtSettings.municipalityId, set: { suspensionAllowed: input.suspensionAllowed, enrollmentRefusalAllowed: input.enrollmentRefusalAllowed, updatedAt: at, updatedBy: actor.userId, version: nextVersion(debtSettings.version) } })
    .run();
  return { before, after: getLadder(db, input.municipalityId) };
}

/** Does a position reach a step's threshold (euros OR meals beyond credit, whichever the step sets)? */
export function reaches(step: Pick<LadderStep, 'thresholdCents' | 'thresholdMeals'>, owedCents: number, meals: number): boolean {
  if (owedCents <= 0) return false;
  return (step.thresholdCents !== null && owedCents >= step.thresholdCents) || (step.thresholdMeals !== null && meals >= step.thresholdMeals);
}
