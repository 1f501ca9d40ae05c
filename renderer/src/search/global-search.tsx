import { useEffect, useRef, useState } from 'react';
import { Badge, Group, Kbd, Loader, Paper, Popover, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { call, type ProcOutput } from '../api/client';
import { notifyError } from '../api/hooks';
import { navigate } from '../app/router';

type Hit = ProcOutput<'search.people'>['hits'][number];

const MATCH_LABEL: Record<Hit['matchedBy'], string | null> = {
  codice_utente: 'codice utente',
  codice_disdetta: 'codice disdetta',
  codice_fiscale: 'codice fiscale',
  nome: null,
};

/** The page of a found person: the pupil's or the payer's. */
export function pathOf(hit: Pick<Hit, 'kind' | 'id'>): string {
  return hit.kind === 'alunno' ? `/alunni/${hit.id}` : `/paganti/${hit.id}`;
}

/** True when the key press was typed into a field (the "/" shortcut must not steal a slash from a note). */
function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * Issue 12: the search box of the header, always there. Ctrl+K (⌘K on a Mac) or "/" puts the
 * cursor in it from any screen; it finds pupils and payers by surname and name (either order,
 * accents ignored), codice fiscale, badge or phone-cancellation code. Arrows choose, Enter or a
 * click opens the pupil's (or payer's) page, Esc leaves.
 */
export function GlobalSearch() {
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const [debounced] = useDebouncedValue(text.trim(), 180);
  const [open, setOpen] = useState(false);
  const [hits, setHits] = useState<Hit[]>([]);
  const [more, setMore] = useState(false);
  const [loading, setLoading] = useState(false);
  const [active, setActive] = useState(0);
  const seq = useRef(0);
  // Enter pressed before the results of what was typed arrived: open the first one when they come
  const pendingEnter = useRef(false);
  const searched = text.trim().length >= 2 && debounced === text.trim();

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const ctrlK = (e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k';
      const slash = e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !typing(e.target);
      if (ctrlK || slash) {
        e.preventDefault();
        input.current?.focus();
        input.current?.select();
        setOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    if (debounced.length < 2) {
      setHits([]);
      setMore(false);
      return;
    }
    const mine = ++seq.current;
    setLoading(true);
    call('search.people', { query: debounced })
      .then((r) => {
        if (mine !== seq.current) return;
        setHits(r.hits);
        setMore(r.more);
        setActive(0);
        if (pendingEnter.current) {
          pendingEnter.current = false;
          go(r.hits[0]);
        }
      })
      .catch((err) => {
        if (mine === seq.current) notifyError(err, 'Ricerca non riuscita');
      })
      .finally(() => {
        if (mine === seq.current) setLoading(false);
      });
  }, [debounced]);

  function go(hit: Hit | undefined) {
    if (!hit) return;
    setOpen(false);
    setText('');
    input.current?.blur();
    navigate(pathOf(hit));
  }

  return (
    <Popover opened={open && text.trim().length >= 2} position="bottom-start" width={640} shadow="md" offset={4} trapFocus={false} returnFocus={false}>
      <Popover.Target>
        <TextInput
          ref={input}
          w={420}
          size="sm"
          radius="md"
          aria-label="Cerca alunno o pagante"
          data-testid="global-search"
          placeholder="Cerca alunno o pagante (nome, CF, badge)"
          title="Cognome e nome, codice fiscale, codice utente (badge) o codice disdetta telefonica"
          leftSection={<IconSearch size={16} />}
          rightSectionWidth={84}
          rightSection={
            loading ? (
              <Loader size={14} />
            ) : (
              <Group gap={2} wrap="nowrap" title="Scorciatoia: Ctrl+K oppure /" data-testid="global-search-hint">
                <Kbd size="xs">Ctrl</Kbd>
                <Kbd size="xs">K</Kbd>
              </Group>
            )
          }
          value={text}
          onChange={(e) => {
            setText(e.currentTarget.value);
            pendingEnter.current = false;
            setOpen(true);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              setActive((a) => Math.min(a + 1, hits.length - 1));
            } else if (e.key === 'ArrowUp') {
              e.preventDefault();
              setActive((a) => Math.max(a - 1, 0));
            } else if (e.key === 'Enter') {
              e.preventDefault();
              // Enter before the results of what was typed arrived waits for them: never opens a stale hit
              if (searched && !loading) go(hits[active]);
              else if (text.trim().length >= 2) pendingEnter.current = true;
            } else if (e.key === 'Escape') {
              setOpen(false);
              input.current?.blur();
            }
          }}
          role="combobox"
          aria-expanded={open && text.trim().length >= 2}
          aria-controls="global-search-results"
          aria-activedescendant={hits[active] ? `global-search-${hits[active].kind}-${hits[active].id}` : undefined}
        />
      </Popover.Target>
      <Popover.Dropdown p={4} onMouseDown={(e) => e.preventDefault()}>
        <Stack gap={2} id="global-search-results" role="listbox" aria-label="Risultati della ricerca" data-testid="global-search-results">
          {hits.length === 0 && (
            <Text size="sm" c="dimmed" p="xs">
              {loading || !searched ? 'Ricerca…' : `Nessun alunno o pagante corrisponde a «${debounced}»`}
            </Text>
          )}
          {hits.map((h, i) => (
            <UnstyledButton
              key={`${h.kind}-${h.id}`}
              id={`global-search-${h.kind}-${h.id}`}
              role="option"
              aria-selected={i === active}
              onMouseEnter={() => setActive(i)}
              onClick={() => go(h)}
              data-testid="global-search-hit"
            >
              <Paper px="xs" py={6} radius="sm" bg={i === active ? 'blue.0' : undefined}>
                <Group gap="xs" wrap="nowrap" justify="space-between">
                  <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
                    <Badge size="sm" variant="light" color={h.kind === 'alunno' ? 'blue' : 'grape'} w={84} style={{ flexShrink: 0 }}>
                      {h.kind === 'alunno' ? 'Alunno' : 'Pagante'}
                    </Badge>
                    <div style={{ minWidth: 0 }}>
                      <Text size="sm" fw={600} truncate>
                        {h.lastName} {h.firstName}
                        {MATCH_LABEL[h.matchedBy] && (
                          <Text span size="xs" c="teal.7" fw={500} ml={6}>
                            per {MATCH_LABEL[h.matchedBy]}
                          </Text>
                        )}
                      </Text>
                      <Text size="xs" c="dimmed" truncate>
                        {h.kind === 'alunno'
                          ? [h.schoolName, h.className ? `classe ${h.className}` : null, h.related ? `pagante ${h.related}` : null].filter(Boolean).join(' · ')
                          : [h.municipalityName, h.related ? `figli: ${h.related}` : 'nessun figlio iscritto'].filter(Boolean).join(' · ')}
                      </Text>
                    </div>
                  </Group>
                  <div style={{ textAlign: 'right', flexShrink: 0 }}>
                    <Text size="xs" ff="monospace">
                      {h.taxCode}
                    </Text>
                    {h.userCode && (
                      <Text size="xs" c="dimmed">
                        badge {h.userCode}
                      </Text>
                    )}
                  </div>
                </Group>
              </Paper>
            </UnstyledButton>
          ))}
          {more && (
            <Text size="xs" c="dimmed" px="xs" py={4}>
              Altri risultati: scrivere di più (anche il nome) per restringere.
            </Text>
          )}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
