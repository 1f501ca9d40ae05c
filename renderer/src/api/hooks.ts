import { useCallback, useEffect, useRef, useState } from 'react';
import { notifications } from '@mantine/notifications';
import { call, errorMessage, type ProcedureName, type ProcInput, type ProcOutput } from './client';

/** Shows a backend error as a red notification (the field messages go under the fields). */
export function notifyError(err: unknown, title = 'Operazione non riuscita') {
  notifications.show({ color: 'red', title, message: errorMessage(err), autoClose: 8000 });
}

export function notifySuccess(message: string, title = 'Fatto') {
  notifications.show({ color: 'green', title, message, autoClose: 4000 });
}

/**
 * Loads one query and reloads it when `input` changes (compared as JSON). Errors other than an
 * expired session are shown as a notification and kept in `error`.
 */
export function useQuery<N extends ProcedureName>(name: N, input: ProcInput<N> | null) {
  const [data, setData] = useState<ProcOutput<N> | null>(null);
  const [loading, setLoading] = useState(input !== null);
  const [error, setError] = useState<unknown>(null);
  const key = input === null ? null : JSON.stringify(input);
  const seq = useRef(0);

  const load = useCallback(async () => {
    if (key === null) {
      setData(null);
      setLoading(false);
      return;
    }
    const mine = ++seq.current;
    setLoading(true);
    try {
      const value = await call(name, JSON.parse(key) as ProcInput<N>);
      if (mine === seq.current) {
        setData(value);
        setError(null);
      }
    } catch (err) {
      if (mine === seq.current) {
        setError(err);
        notifyError(err, 'Caricamento non riuscito');
      }
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, [name, key]);

  useEffect(() => {
    void load();
  }, [load]);

  return { data, loading, error, reload: load };
}

type PagedName = {
  [N in ProcedureName]: ProcOutput<N> extends { rows: unknown[]; total: number } ? (ProcInput<N> extends { offset?: number; limit?: number } ? N : never) : never;
}[ProcedureName];

export type RowOf<N extends PagedName> = ProcOutput<N> extends { rows: (infer R)[] } ? R : never;

const PAGE = 200;

/**
 * A server-side list read in pages (offset/limit) as the user scrolls: the virtualised table asks
 * for more when its last visible row nears the end of what is loaded. Changing the filters starts
 * again from the first page; answers to outdated requests are dropped.
 */
export function usePagedList<N extends PagedName>(name: N, filters: Omit<ProcInput<N>, 'offset' | 'limit'>) {
  const [rows, setRows] = useState<RowOf<N>[]>([]);
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(true);
  const key = JSON.stringify(filters);
  const generation = useRef(0);
  const inFlight = useRef(false);
  const loaded = useRef(0);

  const fetchPage = useCallback(
    async (offset: number, gen: number) => {
      inFlight.current = true;
      setLoading(true);
      try {
        const input = { ...(JSON.parse(key) as object), offset, limit: PAGE } as unknown as ProcInput<N>;
        const out = (await call(name, input)) as unknown as { rows: RowOf<N>[]; total: number };
        if (gen !== generation.current) return;
        setRows((prev) => {
          const next = offset === 0 ? out.rows : [...prev.slice(0, offset), ...out.rows];
          loaded.current = next.length;
          return next;
        });
        setTotal(out.total);
      } catch (err) {
        if (gen === generation.current) notifyError(err, 'Caricamento non riuscito');
      } finally {
        if (gen === generation.current) {
          inFlight.current = false;
          setLoading(false);
        }
      }
    },
    [name, key],
  );

  const reload = useCallback(() => {
    const gen = ++generation.current;
    loaded.current = 0;
    void fetchPage(0, gen);
  }, [fetchPage]);

  useEffect(() => {
    reload();
  }, [reload]);

  const loadMore = useCallback(() => {
    if (inFlight.current || loaded.current >= total) return;
    void fetchPage(loaded.current, generation.current);
  }, [fetchPage, total]);

  /** `key` changes with the filters: the table goes back to its first row */
  return { rows, total, loading, loadMore, reload, key };
}

/** A value that follows `value` after `delay` ms of quiet (search boxes). */
export function useDebounced<T>(value: T, delay = 300): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), delay);
    return () => clearTimeout(t);
  }, [value, delay]);
  return v;
}
