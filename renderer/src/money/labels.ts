import type { ProcInput, ProcOutput } from '../api/client';
import type { HeadCell } from '../components/table-parts';
import { PAYMENT_CHANNEL_LABEL } from '../../../electron/contract/vocabulary/payment-channels';
import { LEDGER_KIND_LABEL } from '../../../electron/contract/vocabulary/ledger-kinds';

export type LedgerKind = ProcOutput<'ledger.movements'>['entries'][number]['kind'];
export type PaymentChannel = ProcOutput<'ledger.register'>['rows'][number]['channel'];

/** How each kind of ledger entry reads for the office and for a family (Italian, never codes). */
export const KIND_LABEL: Record<LedgerKind, string> = LEDGER_KIND_LABEL;

/** How each payment channel reads (the backend's registers and exports say the same). */
export const CHANNEL_LABEL: Record<PaymentChannel, string> = PAYMENT_CHANNEL_LABEL;

export const MANUAL_CHANNEL_OPTIONS = [
  { value: 'bonifico', label: 'Bonifico bancario' },
  { value: 'contanti', label: 'Contanti allo sportello' },
  { value: 'pos', label: 'POS allo sportello' },
  { value: 'assegno', label: 'Assegno' },
] as const;

export const REFUND_CHANNEL_OPTIONS = [
  { value: 'bonifico', label: 'Bonifico bancario' },
  { value: 'contanti', label: 'Contanti allo sportello' },
  { value: 'assegno', label: 'Assegno' },
] as const;


export type BalanceFilter = NonNullable<ProcInput<'pupils.list'>['balance']>;

/** The lists' balance filter (P1): a debt, under the reminder threshold, in credit, at zero. */
export const BALANCE_FILTER_OPTIONS: { value: BalanceFilter; label: string }[] = [
  { value: 'debito', label: 'In debito' },
  { value: 'sotto_soglia', label: 'Sotto la soglia' },
  { value: 'credito', label: 'In credito' },
  { value: 'zero', label: 'Saldo zero' },
];

/** The date column and the two amount columns of every list of movements (pupil account, statement). */
export const MOVEMENT_DATE_HEAD: HeadCell = { label: 'Data', w: 110 };
export const MOVEMENT_AMOUNT_HEADS: readonly HeadCell[] = [
  { label: 'Importo', w: 120, right: true },
  { label: 'Saldo', w: 120, right: true },
];
