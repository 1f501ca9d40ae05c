/**
 * How a diet request's category, channel and status read in the exports and on the diet screens:
 * one home for both sides (as payment-channels.ts). Typed against the schema's values where it is
 * used, so a value without its label does not compile.
 */
export const DIET_CATEGORY_LABEL = { medica: 'Medica', etico_religiosa: 'Etico-religiosa' } as const;
/** DI4: no "paper handed to the school": there is no such option */
export const DIET_SOURCE_LABEL = { iscrizione: 'Iscrizione', portale: 'Portale delle famiglie', email: "E-mail all'ufficio" } as const;
export const DIET_STATUS_LABEL = {
  in_attesa: 'In attesa',
  approvata: 'Approvata',
  respinta: 'Respinta',
  revocata: 'Revocata',
  sostituita: 'Sostituita',
} as const;
