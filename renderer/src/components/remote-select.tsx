import { useEffect, useRef, useState } from 'react';
import { Loader, Select, type SelectProps } from '@mantine/core';
import { useDebounced } from '../api/hooks';
import { errorMessage } from '../api/client';

export interface RemoteOption {
  value: string;
  label: string;
}

interface Props extends Omit<SelectProps, 'data' | 'value' | 'onChange' | 'searchValue' | 'onSearchChange'> {
  value: RemoteOption | null;
  onChange: (option: RemoteOption | null) => void;
  /** asks the backend for the options that match what was typed (server-side search) */
  search: (text: string) => Promise<RemoteOption[]>;
}

/**
 * A picker that searches on the backend as the user types (50,000 pupils never travel to the
 * window): the options shown are the backend's answer, plus the one already chosen.
 */
export function RemoteSelect({ value, onChange, search, ...rest }: Props) {
  const [text, setText] = useState('');
  const [options, setOptions] = useState<RemoteOption[]>([]);
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const debounced = useDebounced(text, 250);
  const seq = useRef(0);
  const searchRef = useRef(search);
  searchRef.current = search;

  useEffect(() => {
    // typing that only repeats the chosen label is not a new search
    if (value && debounced === value.label) return;
    const mine = ++seq.current;
    setLoading(true);
    searchRef
      .current(debounced.trim())
      .then((o) => {
        if (mine === seq.current) {
          setOptions(o);
          setFailure(null);
        }
      })
      .catch((err) => mine === seq.current && setFailure(errorMessage(err)))
      .finally(() => mine === seq.current && setLoading(false));
  }, [debounced, value]);

  const data = value && !options.some((o) => o.value === value.value) ? [value, ...options] : options;
  return (
    <Select
      searchable
      clearable
      data={data}
      value={value?.value ?? null}
      onChange={(v) => onChange(data.find((o) => o.value === v) ?? null)}
      searchValue={text}
      onSearchChange={setText}
      filter={({ options: o }) => o}
      nothingFoundMessage={failure ?? (loading ? 'Ricerca…' : 'Nessun risultato')}
      rightSection={loading ? <Loader size={14} /> : undefined}
      maxDropdownHeight={300}
      {...rest}
    />
  );
}
