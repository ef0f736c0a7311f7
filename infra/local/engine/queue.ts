import TinyQueue from 'tinyqueue';

/** A change to the queues, kept by the engine's journal; each sets a message's state outright, so that replaying one twice changes nothing. */
export type QueueChange =
  /** sent (or moved to another queue, or restored from a snapshot): the whole message */
  | ['qs', StoredMessage]
  /** received, or its visibility changed: when it shows again, and how many times it was received */
  | ['qv', string, number, number]
  /** deleted */
  | ['qd', string];

/** A message as the queues keep it. */
export interface StoredMessage {
  id: string;
  /** Its queue: a family's, or a family's DLQ (`<family>-dlq`). */
  queue: string;
  /** What the sender gave (JSON data, never changed). */
  body: unknown;
  /** When it may be received (epoch ms). */
  visibleAt: number;
  receives: number;
  sentAt: number;
}

/** A message handed to a receiver: the receipt names this receive, so that a stale one changes nothing. */
export interface Delivered {
  id: string;
  receipt: string;
  body: unknown;
  receives: number;
}

/** A receipt that does not name the message's latest receive, or a message gone: SQS's MessageNotInflight. */
export class MessageNotInFlight extends Error {
  constructor(id: string) {
    super(`message ${id} is not in flight with this receipt (it was received again, or deleted)`);
    this.name = 'MessageNotInFlight';
  }
}

export interface QueueSettings {
  /** How long a received message stays hidden unless its receiver says otherwise (SQS's visibility timeout). */
  visibilityTimeoutSeconds: number;
  /** Receives after which a message goes to its queue's DLQ instead (SQS's redrive policy). */
  maxReceiveCount: number;
}

/** SQS's limits on a delay and a visibility. */
const MAX_DELAY_SECONDS = 900;
const MAX_VISIBILITY_SECONDS = 43_200;

export const dlqOf = (queue: string) => `${queue}-dlq`;

/**
 * Queues as SQS keeps them, in memory, every change handed to `keep` (the journal): a
 * message is hidden until its delay ends, hidden again for the visibility timeout when
 * received, shown again when its receiver changes its visibility or dies, and moved to
 * the DLQ when it would be received more than `maxReceiveCount` times. Each queue orders
 * its messages by when they show (a heap), so a receive takes only those due.
 */
export class EmbeddedQueues {
  private readonly messages = new Map<string, StoredMessage>();
  private readonly due = new Map<string, TinyQueue<Due>>();
  private readonly counts = new Map<string, number>();
  private readonly listeners = new Map<string, () => void>();
  private seq = 0;

  constructor(
    private readonly settings: QueueSettings,
    private readonly now: () => number = Date.now,
    private keep: (change: QueueChange) => void = () => {},
  ) {}

  keepWith(keep: (change: QueueChange) => void): void {
    this.keep = keep;
  }

  /** Called when a message of `queue` may have become visible, or was sent to show later (its receivers wake up, and set a timer for it). */
  onVisible(queue: string, listener: () => void): void {
    this.listeners.set(queue, listener);
  }

  /** Sends a message, hidden for `delaySeconds` (up to SQS's 900). */
  send(queue: string, id: string, body: unknown, delaySeconds = 0): void {
    const now = this.now();
    const message = { id, queue, body, visibleAt: now + clamp(delaySeconds, MAX_DELAY_SECONDS) * 1000, receives: 0, sentAt: now };
    this.apply(['qs', message]);
    this.keep(['qs', message]);
    // Delayed: an idle receiver has no timer yet for when it shows (a group's timer, sent from the api).
    if (message.visibleAt > now) this.listeners.get(queue)?.();
  }

  /**
   * Up to `max` visible messages, each hidden for the visibility timeout. One received too
   * often already goes to the DLQ instead.
   */
  receive(queue: string, max: number): Delivered[] {
    const heap = this.due.get(queue);
    const now = this.now();
    const out: Delivered[] = [];
    while (heap && heap.length && out.length < max && (heap.peek() as { at: number }).at <= now) {
      const { id, at } = heap.pop() as { at: number; id: string };
      const message = this.messages.get(id);
      if (!message || message.queue !== queue || message.visibleAt !== at) continue; // a stale heap entry
      if (message.receives >= this.settings.maxReceiveCount && !queue.endsWith('-dlq')) {
        this.move(message, dlqOf(queue));
        continue;
      }
      const change: QueueChange = ['qv', id, now + this.settings.visibilityTimeoutSeconds * 1000, message.receives + 1];
      this.apply(change);
      this.keep(change);
      out.push({ id, receipt: `${id}/${message.receives}`, body: message.body, receives: message.receives });
    }
    return out;
  }

  /** Shows the message again after `seconds` (0: now); throws MessageNotInFlight for a stale receipt. */
  changeVisibility(id: string, receipt: string, seconds: number): void {
    const message = this.inFlight(id, receipt);
    if (!message) throw new MessageNotInFlight(id);
    const change: QueueChange = ['qv', id, this.now() + clamp(seconds, MAX_VISIBILITY_SECONDS) * 1000, message.receives];
    this.apply(change);
    this.keep(change);
  }

  /** Deletes a received message; a stale receipt changes nothing (the message was received again since). */
  delete(id: string, receipt: string): void {
    const message = this.messages.get(id);
    if (!message || receipt !== `${id}/${message.receives}`) return;
    this.apply(['qd', id]);
    this.keep(['qd', id]);
  }

  /** Messages in a queue, visible or not. */
  count(queue: string): number {
    return this.counts.get(queue) ?? 0;
  }

  /** When the next hidden message of `queue` shows, if one is hidden. */
  nextVisibleAt(queue: string): number | undefined {
    const heap = this.due.get(queue);
    while (heap?.length) {
      const top = heap.peek() as { at: number; id: string };
      const message = this.messages.get(top.id);
      if (message && message.queue === queue && message.visibleAt === top.at) return top.at;
      heap.pop();
    }
    return undefined;
  }

  /** Every message, as the changes that make the queues what they are now (a snapshot). */
  *entries(): Generator<['qs', StoredMessage]> {
    for (const message of this.messages.values()) yield ['qs', { ...message }];
  }

  /** A change read back from the journal, or made now. */
  apply(change: QueueChange): void {
    const [kind, ...args] = change;
    if (kind === 'qs') {
      const message = { ...(args[0] as StoredMessage) };
      const before = this.messages.get(message.id);
      if (before) this.counts.set(before.queue, this.count(before.queue) - 1);
      this.messages.set(message.id, message);
      this.counts.set(message.queue, this.count(message.queue) + 1);
      this.schedule(message);
    } else if (kind === 'qv') {
      const [id, visibleAt, receives] = args as [string, number, number];
      const message = this.messages.get(id);
      if (!message) return;
      message.visibleAt = visibleAt;
      message.receives = receives;
      this.schedule(message);
    } else {
      const message = this.messages.get(args[0] as string);
      if (!message) return;
      this.messages.delete(message.id);
      this.counts.set(message.queue, this.count(message.queue) - 1);
    }
  }

  private move(message: StoredMessage, queue: string): void {
    const moved: StoredMessage = { ...message, queue, visibleAt: this.now(), receives: 0 };
    this.apply(['qs', moved]);
    this.keep(['qs', moved]);
  }

  private inFlight(id: string, receipt: string): StoredMessage | undefined {
    const message = this.messages.get(id);
    return !message || receipt !== `${id}/${message.receives}` || message.visibleAt <= this.now() ? undefined : message;
  }

  private schedule(message: StoredMessage): void {
    let heap = this.due.get(message.queue);
    if (!heap) this.due.set(message.queue, (heap = new TinyQueue<Due>([], (a, b) => a.at - b.at || a.seq - b.seq)));
    heap.push({ at: message.visibleAt, id: message.id, seq: this.seq++ });
    if (message.visibleAt <= this.now()) this.listeners.get(message.queue)?.();
  }
}

interface Due {
  at: number;
  id: string;
  seq: number;
}

const clamp = (seconds: number, max: number) => Math.min(max, Math.max(0, Math.round(seconds)));
