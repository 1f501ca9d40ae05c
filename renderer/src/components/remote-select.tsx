import { useEffect, useRef, useState, type FocusEvent, type KeyboardEvent, type MouseEvent } from 'react';
import { Loader, Select, Text, type SelectProps } from '@mantine/core';
import { useDebounced } from '../api/hooks';
import { errorMessage } from '../api/client';
import { selectTextOnFocus } from './pick-text';

export interface RemoteOption {
  value: string;
  /** what the box shows once chosen: enough to tell two people of the same name apart */
  label: string;
  /** a second, dimmed line in the list (e.g. school, class and codice fiscale) */
  description?: string;
  /** a pupil's sex, from the codice fiscale (for "iscritto" / "iscritta") */
  sex?: 'M' | 'F';
}

interface Props extends Omit<SelectProps, 'data' | 'value' | 'onChange' | 'searchValue' | 'onSearchChange'> {
  value: RemoteOption | null;
  onChange: (option: RemoteOption | null) => void;
  /** asks the backend for the options that match what was typed (server-side search) */
  search: (text: string) => Promise<RemoteOption[]>;
}

/** The options the backend gave for one text: offered only while that text is the one in the box. */
interface Answer {
  text: string;
  options: RemoteOption[];
}

/**
 * A picker that searches on the backend as the user types (50,000 pupils never travel to the
 * window). It offers only the backend's matches for the text in the box: never the option chosen
 * before when it does not match, never the answer to an earlier text still on its way (so
 * arrow-down + Enter cannot pick the previous child). Entering the box selects its text.
 */
export function RemoteSelect({ value, onChange, search, onFocus, onMouseUp, onKeyDown, ...rest }: Props) {
  const [text, setText] = useState(value?.label ?? '');
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const debounced = useDebounced(text, 250);
  const seq = useRef(0);
  const searchRef = useRef(search);
  searchRef.current = search;

  // typed since the last pick: a search, whose matches alone are offered
  const [typing, setTyping] = useState(false);
  useEffect(() => setTyping(false), [value?.value]);
  const browsing = value !== null && (!typing || text === value.label);

  useEffect(() => {
    if (value && debounced === value.label) return;
    const mine = ++seq.current;
    const asked = debounced.trim();
    setLoading(true);
    searchRef
      .current(asked)
      .then((o) => {
        if (mine === seq.current) {
          setAnswer({ text: asked, options: o });
          setFailure(null);
        }
      })
      .catch((err) => mine === seq.current && setFailure(errorMessage(err)))
      .finally(() => mine === seq.current && setLoading(false));
  }, [debounced, value]);

  const current = answer !== null && answer.text === text.trim() ? answer.options : [];
  const data: RemoteOption[] = browsing ? [value, ...(answer?.options ?? []).filter((o) => o.value !== value.value)] : current;
  const waiting = !browsing && (loading || answer?.text !== text.trim());
  const described = new Map(data.map((o) => [o.value, o.description]));

  return (
    <Select
      searchable
      clearable
      data={data.map(({ value: v, label }) => ({ value: v, label }))}
      value={value?.value ?? null}
      onChange={(v) => onChange(data.find((o) => o.value === v) ?? null)}
      searchValue={text}
      onSearchChange={(t) => {
        setText(t);
        setTyping(t !== (value?.label ?? ''));
      }}
      filter={({ options: o }) => o}
      renderOption={({ option }) => (
        <div>
          <Text size="sm">{option.label}</Text>
          {described.get(option.value) && (
            <Text size="xs" c="dimmed">
              {described.get(option.value)}
            </Text>
          )}
        </div>
      )}
      nothingFoundMessage={failure ?? (waiting ? 'Ricerca…' : 'Nessun risultato')}
      rightSection={loading ? <Loader size={14} /> : undefined}
      maxDropdownHeight={300}
      onFocus={(e: FocusEvent<HTMLInputElement>) => {
        selectTextOnFocus.onFocus(e);
        onFocus?.(e);
      }}
      onMouseUp={(e: MouseEvent<HTMLInputElement>) => {
        selectTextOnFocus.onMouseUp(e);
        // a click into the chosen name (also right after choosing it) selects it whole
        if (!typing && value) {
          e.preventDefault();
          e.currentTarget.select();
        }
        onMouseUp?.(e);
      }}
      onKeyDown={(e: KeyboardEvent<HTMLInputElement>) => {
        selectTextOnFocus.onKeyDown(e);
        onKeyDown?.(e);
      }}
      {...rest}
    />
  );
}
