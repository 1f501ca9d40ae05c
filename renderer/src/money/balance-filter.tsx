import { Select } from '@mantine/core';
import { BALANCE_FILTER_OPTIONS, type BalanceFilter } from './labels';

/** The pupils' and payers' filter by balance (in debt, under the threshold…). */
export function BalanceFilterSelect({ value, onChange }: { value: BalanceFilter | null; onChange: (v: BalanceFilter | null) => void }) {
  return <Select placeholder="Saldo" aria-label="Filtra per saldo" clearable data={BALANCE_FILTER_OPTIONS} value={value} onChange={(v) => onChange(v as BalanceFilter | null)} w={170} />;
}
