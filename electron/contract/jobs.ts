import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { importPreviewResult } from '../imports/preview-result';

export const JOB_STATES = ['in_corso', 'completato', 'errore', 'annullato'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** What `jobs.get` answers for a job of one kind: `result` is that kind's result, `null` until it is `completato`. */
function jobStatusOf<K extends string, R extends z.ZodType>(kind: K, result: R) {
  return z.object({
    id: z.string(),
    kind: z.literal(kind),
    state: z.enum(JOB_STATES),
    done: z.number(),
    total: z.number(),
    message: z.string(),
    result: result.nullable(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
  });
}

/**
 * Every kind of job, each with the zod schema of its result: a new kind of job is declared here.
 * `jobs.get` answers this discriminated union (on `kind`), so the dispatcher checks a finished
 * job's result against its kind's schema and the renderer narrows on `kind` without a cast.
 */
export const jobStatus = z.discriminatedUnion('kind', [
  // the preview of an import from the previous system (imports/previews.ts)
  jobStatusOf('importazione', importPreviewResult),
]);
export type JobStatus = z.output<typeof jobStatus>;
export type JobKind = JobStatus['kind'];
/** The result a job of kind `K` finishes with. */
export type JobResult<K extends JobKind> = NonNullable<Extract<JobStatus, { kind: K }>['result']>;

interface StoredJob {
  id: string;
  kind: JobKind;
  state: JobState;
  done: number;
  total: number;
  message: string;
  result: unknown;
  error: { code: string; message: string } | null;
  cancelRequested: boolean;
  owner: number | null;
}

/**
 * Long work (imports, day close, batches) runs as a job: it reports progress, can be cancelled
 * where that is safe, and yields between chunks so the process keeps answering.
 */
export class JobStore {
  private readonly jobs = new Map<string, StoredJob>();

  start<K extends JobKind>(kind: K, owner: number | null, total = 0): JobHandle<K> {
    const id = randomUUID();
    const job: StoredJob = {
      id,
      kind,
      state: 'in_corso',
      done: 0,
      total,
      message: '',
      result: null,
      error: null,
      cancelRequested: false,
      owner,
    };
    this.jobs.set(id, job);
    // keep the store small: forget finished jobs beyond the last 50
    if (this.jobs.size > 50) {
      for (const [k, j] of this.jobs) {
        if (j.state !== 'in_corso') {
          this.jobs.delete(k);
          if (this.jobs.size <= 50) break;
        }
      }
    }
    return {
      id,
      progress(done, total, message) {
        job.done = done;
        if (total !== undefined) job.total = total;
        if (message !== undefined) job.message = message;
      },
      get cancelled() {
        return job.cancelRequested;
      },
      finish(result) {
        job.state = 'completato';
        job.result = result;
        job.done = job.total;
      },
      fail(error) {
        job.state = job.cancelRequested ? 'annullato' : 'errore';
        job.error = error;
      },
    };
  }

  /**
   * The job as `jobs.get` answers it. The result is held as the handle's `finish` was given it (typed
   * by kind); `jobs.get` checks it against its kind's schema (`jobStatus`) before it leaves.
   */
  get(id: string, owner: number | null): z.input<typeof jobStatus> | null {
    const j = this.jobs.get(id);
    if (!j || (j.owner !== null && owner !== null && j.owner !== owner)) return null;
    const { cancelRequested: _c, owner: _o, ...status } = j;
    return status as z.input<typeof jobStatus>;
  }

  cancel(id: string, owner: number | null): boolean {
    const j = this.jobs.get(id);
    if (!j || j.state !== 'in_corso' || (j.owner !== null && j.owner !== owner)) return false;
    j.cancelRequested = true;
    return true;
  }
}

export interface JobHandle<K extends JobKind = JobKind> {
  id: string;
  progress(done: number, total?: number, message?: string): void;
  readonly cancelled: boolean;
  /** Ends the job with its kind's result. */
  finish(result: JobResult<K>): void;
  fail(error: { code: string; message: string }): void;
}

/** Yield to the event loop so a long job does not stop the process from answering. */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
