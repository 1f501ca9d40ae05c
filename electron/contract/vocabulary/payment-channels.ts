/**
 * How each payment channel (db/schema PAYMENT_CHANNELS) reads in the registers, their exports and
 * the money screens: one home for both sides. Typed against the schema's channels where it is used,
 * so a channel without its label does not compile.
 */
export const PAYMENT_CHANNEL_LABEL = {
  pagopa: 'pagoPA',
  bonifico: 'Bonifico',
  contanti: 'Contanti',
  pos: 'POS',
  assegno: 'Assegno',
  sdd: 'Addebito SDD',
} as const;
