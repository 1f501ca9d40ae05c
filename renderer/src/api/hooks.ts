import { useCallback, useEffect, useRef, useState } from 'react';
import { notifications } from '@mantine/notifications';
import { call, errorMessage, type ProcedureName, type ProcInput, type ProcOutput } from './client';

let lastErrorId: string | null = null;

/**
 * Shows a backend error as a red notification (the field messages go under the fields). A new
 * error replaces the previous one: after three attempts the operator sees one message, not three.
 */
export function notifyError(err: unknown, title = 'Operazione non riuscita') {
  if (lastErrorId) notifications.hide(lastErrorId);
  lastErrorId = notifications.show({ color: 'red', title, message: errorMessage(err), autoClose: 8000 });
}

export function notifySuccess(message: string, title = 'Fatto') {
  // the error it follows is resolved
  if (lastErrorId) notifications.hide(lastErrorId);
  lastErrorId = null;
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

/** What a virtualised table needs from a list: how many rows, the row at an index (if loaded), and a way to ask for a range. */
export interface TableSource<R> {
  count: number;
  rowAt: (index: number) => R | undefined;
  /** the rows in view changed: load the pages that cover them */
  onRange?: (start: number, end: number) => void;
  loading: boolean;
  /** changes with the filters: the table goes back to its first row */
  resetKey?: string;
}

/** A table source over rows already in memory. */
export function arraySource<R>(rows: R[]): TableSource<R> {
  return { count: rows.length, rowAt: (i) => rows[i], loading: false };
}

/**
 * A server-side list read in pages (offset/limit) as the user scrolls. The table is as tall as
 * the whole list (`total`), so the scrollbar can jump anywhere; only the pages under the rows in
 * view are asked for, a moment after scrolling stops. Changing the filters starts again from the
 * first page; answers to outdated requests are dropped.
 */
export function usePagedList<N extends PagedName>(name: N, filters: Omit<ProcInput<N>, 'offset' | 'limit'>) {
  const key = JSON.stringify(filters);
  const pages = useRef(new Map<number, RowOf<N>[]>());
  const inFlight = useRef(new Set<number>());
  const generation = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [, setVersion] = useState(0);
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(true);

  const fetchPage = useCallback(
    async (page: number, gen: number) => {
      if (inFlight.current.has(page)) return;
      inFlight.current.add(page);
      setLoading(true);
      try {
        const input = { ...(JSON.parse(key) as object), offset: page * PAGE, limit: PAGE } as unknown as ProcInput<N>;
        const out = (await call(name, input)) as unknown as { rows: RowOf<N>[]; total: number };
        if (gen !== generation.current) return;
        pages.current.set(page, out.rows);
        setTotal(out.total);
        setVersion((v) => v + 1);
      } catch (err) {
        if (gen === generation.current) notifyError(err, 'Caricamento non riuscito');
      } finally {
        if (gen === generation.current) {
          inFlight.current.delete(page);
          setLoading(inFlight.current.size > 0);
        }
      }
    },
    [name, key],
  );

  const reload = useCallback(() => {
    const gen = ++generation.current;
    pages.current = new Map();
    inFlight.current = new Set();
    void fetchPage(0, gen);
  }, [fetchPage]);

  useEffect(() => {
    reload();
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, [reload]);

  const onRange = useCallback(
    (start: number, end: number) => {
      if (timer.current) clearTimeout(timer.current);
      const first = Math.floor(start / PAGE);
      const last = Math.floor(Math.max(start, end) / PAGE);
      const missing: number[] = [];
      for (let p = first; p <= last; p++) if (!pages.current.has(p) && !inFlight.current.has(p)) missing.push(p);
      if (!missing.length) return;
      // wait for the scrolling to settle: a drag across 50,000 rows asks only for where it stops
      timer.current = setTimeout(() => {
        const gen = generation.current;
        for (const p of missing) void fetchPage(p, gen);
      }, 120);
    },
    [fetchPage],
  );

  const rowAt = useCallback((i: number) => pages.current.get(Math.floor(i / PAGE))?.[i % PAGE], []);

  const source: TableSource<RowOf<N>> = { count: total, rowAt, onRange, loading, resetKey: key };
  return { source, total, loading, reload, key };
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
