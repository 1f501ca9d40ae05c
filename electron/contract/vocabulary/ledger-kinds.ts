/**
 * How each kind of ledger entry (db/schema LEDGER_KINDS) reads for the office and for a family, in
 * the money screens and in what the portal publishes: one home for both sides. Typed against the
 * schema's kinds where it is used, so a kind without its label does not compile.
 */
export const LEDGER_KIND_LABEL = {
  ricarica: 'Ricarica pagoPA',
  pagamento: 'Pagamento',
  addebito_pasto: 'Pasto',
  storno_pasto: 'Storno pasto',
  incasso_sdd: 'Addebito SDD incassato',
  commissione_sdd: 'Commissione SDD',
  insoluto: 'Insoluto SDD (addebito non pagato)',
  rimborso: 'Rimborso',
  storno_pagamento: 'Storno incasso',
  rettifica: 'Rettifica',
  riporto_uscita: 'Riporto all\u2019anno successivo',
  riporto_entrata: 'Riporto dall\u2019anno precedente',
} as const;
