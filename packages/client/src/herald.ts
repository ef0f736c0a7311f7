import { HeraldApi, type Answer } from './api.js';
import { BackgroundQueue, type BackgroundOptions } from './background.js';
import { exceptionEvent, type ErrorContext, type EventInput } from './exception.js';
import { fetchWithTimeout, withRetries, type RetryOptions } from './retry.js';

export interface HeraldOptions extends BackgroundOptions {
  /** Herald's URL, e.g. https://abc.execute-api.eu-west-1.amazonaws.com or http://127.0.0.1:3000. */
  url: string;
  /** The app's ingest key (`hrd_app_…`), or the admin key (then name the app: `app` here, or in each event). */
  key: string;
  /** With the admin key, the app that events, heartbeats and error reports are for (an event's own `app` wins). */
  app?: string;
  /** Each attempt's time limit (default 10 s). */
  timeoutMs?: number;
  /** How failed calls are tried again (default: 3 retries, full jitter from 250 ms, Retry-After honoured). */
  retry?: RetryOptions;
  fetch?: typeof fetch;
}

/** What an event says, besides its type (`app` names the app when the key is the admin key). */
export type EventFields = Omit<EventInput, 'type' | 'id'>;
export type EventAccepted = Answer<'/v1/events', 'post'>;

export interface Heartbeats {
  stop(): void;
}

/**
 * Herald for an app: send events, say a server is alive, report errors. Every call is retried
 * safely: an event carries one Idempotency-Key over all its attempts, so a retried send is
 * never two events. Needs nothing but `fetch` (Node 18, a browser, a worker).
 */
export class Herald {
  readonly api: HeraldApi;
  private readonly background: BackgroundQueue;
  private readonly onError: (error: unknown) => void;
  /** The `app` every body names, when the options name one. */
  private readonly app: { app?: string };

  constructor(private readonly options: HeraldOptions) {
    this.onError = options.onError ?? ((error) => console.error(`herald: ${String(error)}`));
    this.app = options.app ? { app: options.app } : {};
    // Each attempt has its own deadline; a failure without an answer is a HeraldNetworkError, which is retried.
    this.api = new HeraldApi({
      url: options.url,
      key: options.key,
      fetch: fetchWithTimeout(options.fetch ?? fetch, options.timeoutMs ?? 10_000),
    });
    this.background = new BackgroundQueue({ ...options, onError: this.onError });
  }

  /** Post an event; resolves to Herald's answer (`eventId`, `deliveries`, `duplicate`...), or throws a HeraldApiError. */
  send(type: string, fields: EventFields = {}, options: { idempotencyKey?: string } = {}): Promise<EventAccepted> {
    const idempotencyKey = options.idempotencyKey ?? newIdempotencyKey();
    return withRetries(
      () => this.api.post('/v1/events', { header: { 'idempotency-key': idempotencyKey }, body: { ...this.app, ...fields, type } }),
      this.options.retry,
    );
  }

  /** This server of the app is alive (Herald sends `server.offline` when it falls silent). */
  async heartbeat(server: string): Promise<void> {
    await withRetries(() => this.api.post('/v1/heartbeats', { body: { ...this.app, server } }), this.options.retry);
  }

  /** A heartbeat now and every `everySeconds` (default 30), until `stop()` or the process ends. */
  startHeartbeats({ server, everySeconds = 30 }: { server: string; everySeconds?: number }): Heartbeats {
    const beat = () => this.heartbeat(server).catch((error: unknown) => this.onError(error));
    void beat();
    const timer = setInterval(beat, everySeconds * 1000);
    // A timer that keeps nothing alive: the process ends when its own work does.
    (timer as { unref?: () => void }).unref?.();
    return { stop: () => clearInterval(timer) };
  }

  /**
   * Report an error as an `exception` event, in the background: returns at once and never
   * throws. Repeats of the same error (its type and where it was thrown) are throttled by
   * Herald: 12 in a burst notify the first and one "bad behavior".
   */
  notifyError(error: unknown, context: ErrorContext & { app?: string } = {}): void {
    try {
      const { app, ...rest } = context;
      const event = { ...exceptionEvent(error, rest), ...(app ? { app } : {}) };
      const idempotencyKey = newIdempotencyKey();
      this.background.push(() => this.send(event.type, event, { idempotencyKey }));
    } catch (failure) {
      this.onError(failure);
    }
  }

  /** Wait until the reports handed to notifyError are sent (at most `timeoutMs`). */
  flush(timeoutMs?: number): Promise<void> {
    return this.background.flush(timeoutMs);
  }

  /** Reports waiting to be sent, and those dropped because the buffer was full. */
  get backlog(): { pending: number; dropped: number } {
    return { pending: this.background.pending, dropped: this.background.dropped };
  }
}

/** A fresh key per call: crypto.randomUUID where there is one (browsers, Node 19+), else time and randomness. */
function newIdempotencyKey(): string {
  const uuid = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto?.randomUUID?.();
  return `hrd-${uuid ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`}`;
}
