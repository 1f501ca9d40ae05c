import { useCallback, useRef, useState } from 'react';
import { notifyError } from '../api/hooks';

/**
 * Issue 14: the record an edit form loaded, with its version (sent back with the save), and
 * «Ricarica» after a conflict: the record as saved now, given to `apply` (which resets the form,
 * discarding what was typed: only on that explicit click).
 */
export function useReloadable<R extends { id: number; version: number }>(initial: R | null, fetch: (id: number) => Promise<R | undefined>, apply: (record: R) => void) {
  const [current, setCurrent] = useState<R | null>(initial);
  const latest = useRef({ current, fetch, apply });
  latest.current = { current, fetch, apply };
  const reload = useCallback(() => {
    const { current: r, fetch: get, apply: use } = latest.current;
    if (!r) return;
    get(r.id)
      .then((next) => {
        if (!next) throw new Error('Il dato non esiste più: chiudere la finestra');
        setCurrent(next);
        use(next);
      })
      .catch((err) => notifyError(err));
  }, []);
  return { current, version: current?.version ?? 0, reload };
}
