import { useCallback, useEffect, useRef, useState } from 'react';
import { call, type ProcOutput } from '../api/client';

/** A job as `jobs.get` answers it: a union on `kind`, whose `result` has that kind's type. */
export type JobView = ProcOutput<'jobs.get'>;

export interface JobProgress {
  jobId: string;
  done: number;
  total: number;
  message: string;
}

/**
 * How a followed job ended: the finished job (narrow on `job.kind` to get its typed result), its
 * Italian message, or `null` when the page was left first.
 */
export type JobEnd = { ok: true; job: JobView } | { ok: false; message: string } | null;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Follows a backend job (`jobs.get` every `intervalMs`) until it ends, exposing its progress for a
 * progress bar. Leaving the page stops the polling (the job itself goes on in the backend).
 */
export function useJob(intervalMs = 250): { progress: JobProgress | null; follow: (jobId: string, firstMessage: string) => Promise<JobEnd> } {
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const follow = useCallback(
    async (jobId: string, firstMessage: string): Promise<JobEnd> => {
      setProgress({ jobId, done: 0, total: 0, message: firstMessage });
      try {
        for (;;) {
          await sleep(intervalMs);
          if (!mounted.current) return null;
          const job = await call('jobs.get', { id: jobId });
          setProgress({ jobId: job.id, done: job.done, total: job.total, message: job.message });
          if (job.state === 'completato') return { ok: true, job };
          if (job.state === 'errore' || job.state === 'annullato') return { ok: false, message: job.error?.message ?? 'Lavoro non completato' };
        }
      } finally {
        if (mounted.current) setProgress(null);
      }
    },
    [intervalMs],
  );

  return { progress, follow };
}
