import { randomUUID } from 'node:crypto';

export type JobState = 'in_corso' | 'completato' | 'errore' | 'annullato';

export interface JobStatus {
  id: string;
  kind: string;
  state: JobState;
  done: number;
  total: number;
  message: string;
  result: unknown;
  error: { code: string; message: string } | null;
}

/**
 * Long work (imports, day close, batches) runs as a job: it reports progress, can be cancelled
 * where that is safe, and yields between chunks so the process keeps answering.
 */
export class JobStore {
  private readonly jobs = new Map<string, JobStatus & { cancelRequested: boolean; owner: number | null }>();

  start(kind: string, owner: number | null, total = 0): JobHandle {
    const id = randomUUID();
    const job: JobStatus & { cancelRequested: boolean; owner: number | null } = {
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

  get(id: string, owner: number | null): JobStatus | null {
    const j = this.jobs.get(id);
    if (!j || (j.owner !== null && owner !== null && j.owner !== owner)) return null;
    const { cancelRequested: _c, owner: _o, ...status } = j;
    return status;
  }

  cancel(id: string, owner: number | null): boolean {
    const j = this.jobs.get(id);
    if (!j || j.state !== 'in_corso' || (j.owner !== null && j.owner !== owner)) return false;
    j.cancelRequested = true;
    return true;
  }
}

export interface JobHandle {
  id: string;
  progress(done: number, total?: number, message?: string): void;
  readonly cancelled: boolean;
  finish(result: unknown): void;
  fail(error: { code: string; message: string }): void;
}

/** Yield to the event loop so a long job does not stop the process from answering. */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
