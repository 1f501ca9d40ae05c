import { TextInput, type TextInputProps } from '@mantine/core';
import { DateInput, type DateInputProps } from '@mantine/dates';
import { parseItalianDate } from '../format/dates';

/** A date box that shows and accepts dd/mm/yyyy and gives 'YYYY-MM-DD' (or null). */
export function DateField(props: Omit<DateInputProps, 'value' | 'onChange'> & { value: string | null; onChange: (v: string | null) => void }) {
  const { value, onChange, ...rest } = props;
  return (
    <DateInput
      valueFormat="DD/MM/YYYY"
      placeholder="gg/mm/aaaa"
      clearable
      dateParser={(text) => parseItalianDate(text)}
      value={value}
      onChange={(v) => onChange(v ? String(v).slice(0, 10) : null)}
      {...rest}
    />
  );
}

/** An amount typed the Italian way ("6,18"); the form turns it into cents on save. */
export function MoneyField(props: TextInputProps) {
  return <TextInput inputMode="decimal" placeholder="0,00" rightSection="€" {...props} />;
}

/** A codice fiscale / IBAN box: upper case, no autocorrect. */
export function CodeField(props: TextInputProps & { onValue: (v: string) => void }) {
  const { onValue, ...rest } = props;
  return (
    <TextInput
      autoComplete="off"
      spellCheck={false}
      styles={{ input: { textTransform: 'uppercase', fontFamily: 'var(--mantine-font-family-monospace)' } }}
      onChange={(e) => onValue(e.currentTarget.value.toUpperCase())}
      {...rest}
    />
  );
}
