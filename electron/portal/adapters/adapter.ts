import type { OutboundAck, OutboundBatch } from '../contract';

/**
 * What the sync runner needs from a portal, whatever its transport (REST API or exchange folder).
 * The adapters move bytes and check the envelope; they apply nothing: the runner hands each event to
 * the inbound side and advances the cursor only once a page is recorded.
 */
export interface InboundPage {
  /** the page's events, untrusted: each is judged when applied (a broken one goes to review) */
  events: unknown[];
  /** the cursor after this page; null when the portal has no cursor to give (files, an empty page) */
  nextCursor: string | null;
  hasMore: boolean;
  /** a name for the sync log (the file's name, the page's cursor) */
  label: string;
  /** what the office must know of this page, in Italian (a file set aside and why): written in the sync log */
  warnings?: string[];
  /**
   * Called by the runner after every event of the page is durably recorded (and the cursor
   * saved): the exchange folder moves its file to `elaborati/` here. A crash before this call
   * means the page is read again, and the idempotency absorbs the duplicates.
   */
  done?(): Promise<void> | void;
}

export interface PortalAdapter {
  readonly kind: 'rest' | 'file';
  /** the next page of events after `cursor` (null: from the beginning) */
  fetchInbound(cursor: string | null, limit: number): Promise<InboundPage>;
  /** publishes a batch; the answer names the ids the portal holds now */
  publish(batch: OutboundBatch): Promise<OutboundAck>;
}

/**
 * A failure talking to the portal. `retryable`: a network error, a timeout, a 5xx, a 429 (tried again
 * with backoff); otherwise (credential refused, an answer that breaks the contract) the run stops and
 * the sync log says why.
 */
export class PortalTransportError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status: number | null = null,
    /** the portal's Retry-After, in ms */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'PortalTransportError';
  }
}
