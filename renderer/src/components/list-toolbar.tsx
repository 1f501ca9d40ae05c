import { useState } from 'react';
import { Select, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useDebounced } from '../api/hooks';
import type { SortState } from './virtual-table';

/** A list screen's search text (trimmed and debounced for the query) and its sort order. */
export function useListControls(initialSort: SortState) {
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<SortState>(initialSort);
  const debounced = useDebounced(search.trim());
  return { search, setSearch, debounced, sort, setSort };
}

/** The search box at the start of a list's filter bar. */
export function SearchField({ label, placeholder = 'Cerca…', value, onChange, w }: { label: string; placeholder?: string; value: string; onChange: (v: string) => void; w: number }) {
  return <TextInput placeholder={placeholder} aria-label={label} leftSection={<IconSearch size={16} />} value={value} onChange={(e) => onChange(e.currentTarget.value)} w={w} />;
}

/** A clearable filter of a list's bar among a few fixed choices (no choice: every row). */
export function ChoiceFilter({ placeholder, label, data, value, onChange, w }: { placeholder: string; label: string; data: { value: string; label: string }[]; value: string | null; onChange: (v: string | null) => void; w: number }) {
  return <Select placeholder={placeholder} aria-label={label} clearable data={data} value={value} onChange={onChange} w={w} />;
}
