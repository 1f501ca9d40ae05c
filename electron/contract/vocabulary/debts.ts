/**
 * How the debt procedure's values read in the letters, the exports and the office's screens
 * (issue 11): one home for both sides, as diets.ts. Typed against the schema's values where used.
 */
export const DEBT_CHANNEL_LABEL = {
  email_sms: 'E-mail / SMS dal portale',
  lettera: 'Lettera ordinaria',
  raccomandata_ar: 'Raccomandata con ricevuta di ritorno',
  pec: 'PEC',
} as const;

/** The same, short, for table cells. */
export const DEBT_CHANNEL_SHORT = { email_sms: 'E-mail / SMS', lettera: 'Lettera', raccomandata_ar: 'Raccomandata A/R', pec: 'PEC' } as const;

export const DEBT_PLAN_STATUS_LABEL = { rispettato: 'Rispettato', non_rispettato: 'Rata mancata', completato: 'Completato', annullato: 'Annullato' } as const;

export const DEBT_AGE_BAND_LABEL = { '0-30': '0-30 giorni', '31-90': '31-90 giorni', oltre_90: 'Oltre 90 giorni' } as const;

/** The placeholders a letter's text may use, with what each becomes. */
export const DEBT_PLACEHOLDER_HELP = {
  pagante: 'nome del pagante',
  importo: 'importo dovuto',
  scadenza: 'data entro cui pagare',
  giorni: 'giorni concessi',
  comune: 'nome del comune',
  gestore: 'ragione sociale della ditta',
  data: 'data della lettera',
} as const;
