import { useState } from 'react';
import { TextInput, type TextInputProps } from '@mantine/core';
import { DateInput, type DateInputProps } from '@mantine/dates';
import { parseItalianDate } from '../format/dates';

/**
 * A date box that shows and accepts dd/mm/yyyy and gives 'YYYY-MM-DD' (or null). While its
 * calendar is open, Esc closes the calendar only: the box carries Mantine's
 * data-mantine-stop-propagation, which every Modal and Drawer respects.
 */
export function DateField(props: Omit<DateInputProps, 'value' | 'onChange'> & { value: string | null; onChange: (v: string | null) => void }) {
  const { value, onChange, onFocus, onClick, onBlur, onKeyDown, ...rest } = props;
  // mirrors when DateInput opens (focus, click) and closes (blur, Esc, a day picked) its calendar
  const [open, setOpen] = useState(false);
  return (
    <DateInput
      valueFormat="DD/MM/YYYY"
      placeholder="gg/mm/aaaa"
      clearable
      dateParser={(text) => parseItalianDate(text)}
      value={value}
      onChange={(v) => {
        setOpen(false);
        onChange(v ? String(v).slice(0, 10) : null);
      }}
      data-mantine-stop-propagation={open || undefined}
      onFocus={(e) => {
        setOpen(true);
        onFocus?.(e);
      }}
      onClick={(e) => {
        setOpen(true);
        onClick?.(e);
      }}
      onBlur={(e) => {
        setOpen(false);
        onBlur?.(e);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') setOpen(false);
        onKeyDown?.(e);
      }}
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
