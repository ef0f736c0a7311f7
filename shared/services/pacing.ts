import { groupEventOf, memberOf } from '../core/grouping.js';
import {
  backlogOf,
  COALESCE_AFTER,
  coalesceKeyOf,
  destinationOf,
  mayCoalesce,
  nextSlot,
  paceOf,
  tatHeldUntil,
  type Destination,
} from '../core/pacing.js';
import type { PacingStore } from '../core/ports.js';
import type { DeliveryMessage } from '../core/types.js';
import type { ProviderSettings } from '../providers.js';
import { logger } from '../telemetry.js';

/** A slot this close is waited for in the function (a queue's delay counts whole seconds); a later one, on the queue. */
const WAIT_HERE_MS = 1000;
/**
 * A message back this long after its slot takes a new one (a retry, or a consumer running
 * late): late messages sent on old slots would go together, and the provider, idle
 * meanwhile, takes no more at once than its burst.
 */
const SLOT_KEPT_MS = 1000;
/** Reservations that lose to other instances before this one gives up for now (the delivery waits a few seconds). */
const TRIES = 8;
/** Destinations whose bucket (and open coalesced notification) this process remembers; forgetting costs a read. */
const KEPT_DESTINATIONS = 10_000;
/** How long a delivery that could not reserve a slot waits before it tries again. */
const CONTENDED_SECONDS = 3;

/** What pacing makes of a message's deliveries before they are claimed. */
export interface Paced {
  /** To send now (a carrier's message holds the notifications coalesced into it). */
  now: DeliveryMessage[];
  /** Set aside until their slot, no attempt spent: the copies that hold it. */
  later: { message: DeliveryMessage; seconds: number }[];
  /** Coalesced into a notification another delivery carries: recorded `coalesced`, not sent. */
  coalesced: { message: DeliveryMessage; carrierId: string }[];
}

/**
 * Pacing (core/pacing.ts) across every function instance: a delivery to a paced destination
 * reserves its slot in the destination's bucket (PacingStore: one conditional write) and is
 * set aside until then, without spending an attempt; past COALESCE_AFTER waiting, its
 * notification joins the one that waits last for the same recipient, which lists it. In
 * this process, one reservation per destination at a time (each then wins its write), and
 * the bucket's last state is kept, so that the usual reservation is the one write.
 */
export class Pacing {
  private readonly known = new Map<string, number>();
  private readonly turns = new Map<string, Promise<unknown>>();
  /** The carrier last joined for each coalesce key: tried first, without reading which is open. */
  private readonly carriers = new Map<string, string>();

  constructor(
    private readonly store: PacingStore,
    private readonly now: () => number = Date.now,
  ) {}

  async pace(messages: DeliveryMessage[], providers: ProviderSettings | undefined): Promise<Paced> {
    const destinations = messages.map((message) => destinationOf(message, providers));
    // Most messages go where nothing is paced (webhooks, e-mail): as they are, no promise each.
    if (destinations.every((d) => d === undefined)) return { now: messages, later: [], coalesced: [] };
    const paced: Paced = { now: [], later: [], coalesced: [] };
    await Promise.all(
      messages.map(async (message, i) => {
        const destination = destinations[i];
        if (!destination) return void paced.now.push(message);
        const slot = message.pacedAt ? Date.parse(message.pacedAt) : NaN;
        if (slot > this.now() - SLOT_KEPT_MS) return this.keep(paced, message, slot);
        const coalesce = mayCoalesce(message.delivery.channel) && !message.carrier;
        const reserved = await this.reserve(destination, coalesce ? COALESCE_AFTER : undefined);
        if (reserved === 'backlogged') {
          const carrierId = await this.coalesce(destination, message);
          if (carrierId) return void paced.coalesced.push({ message, carrierId });
          // It carries the notifications coalesced while it waits: its slot is the last.
          const last = await this.reserve(destination);
          return typeof last === 'number'
            ? this.keep(paced, { ...message, carrier: true }, last)
            : this.later(paced, { ...message, carrier: true });
        }
        return reserved === undefined ? this.later(paced, message) : this.keep(paced, message, reserved);
      }),
    );
    return paced;
  }

  /** The destination answered 429 (or said it is spent): no slot before `until` (epoch ms). */
  async holdUntil(message: DeliveryMessage, providers: ProviderSettings | undefined, until: number): Promise<void> {
    const destination = destinationOf(message, providers);
    if (!destination) return;
    const target = tatHeldUntil(until, paceOf(destination.rate));
    await this.inTurn(destination.key, async () => {
      for (let i = 0; i < TRIES; i++) {
        const tat = this.known.get(destination.key) ?? (await this.store.tatOf(destination.key));
        if (tat >= target) return;
        if (await this.store.moveTat(destination.key, tat, target)) return void this.note(this.known, destination.key, target);
        this.known.delete(destination.key);
      }
    });
  }

  /** A carrier's message as it goes: its own notification and those coalesced into it, in one. */
  async carried(message: DeliveryMessage): Promise<DeliveryMessage> {
    const { items, count } = await this.store.take(message.delivery.id);
    if (count === 0) return message;
    const all = [memberOf(message.event), ...items];
    const total = count + 1;
    const now = new Date(this.now());
    const notice = { seq: 1, key: 'coalesced', by: {}, items: all, count: total, firing: [], firingCount: 0, repeat: false };
    const base = { id: message.event.id, appId: message.event.appId };
    const event = groupEventOf({ ...notice, startedAt: now.getTime(), takenAt: now.toISOString() }, base, message.app.name, now);
    return { ...message, event: { ...event, title: `${total} more notifications for ${message.app.name}` } };
  }

  /** Reserves the next slot (epoch ms); 'backlogged' when more than `coalesceAfter` wait; undefined when others kept winning. */
  private reserve(destination: Destination, coalesceAfter?: number): Promise<number | 'backlogged' | undefined> {
    const pace = paceOf(destination.rate);
    // A tat only grows: the backlog read from the one known here is at most the bucket's, so past the threshold it is past it too (no wait for a turn).
    const known = this.known.get(destination.key);
    if (coalesceAfter !== undefined && known !== undefined && backlogOf(known, this.now(), pace) >= coalesceAfter)
      return Promise.resolve('backlogged');
    return this.inTurn(destination.key, async () => {
      let tat = this.known.get(destination.key) ?? (await this.store.tatOf(destination.key));
      for (let i = 0; i < TRIES; i++) {
        const now = this.now();
        if (coalesceAfter !== undefined && backlogOf(tat, now, pace) >= coalesceAfter) return 'backlogged';
        const slot = nextSlot(tat, now, pace);
        if (await this.store.moveTat(destination.key, tat, slot.tat)) {
          this.note(this.known, destination.key, slot.tat);
          return slot.at;
        }
        // Another instance reserved first: read the bucket as it is now.
        tat = await this.store.tatOf(destination.key);
      }
      this.known.delete(destination.key);
      logger.warn('pacing: could not reserve a slot, others kept reserving first');
      return undefined;
    });
  }

  /** Joins the notification gathering for the message's recipient: its carrier's id; undefined when this message is to carry one. */
  private async coalesce(destination: Destination, message: DeliveryMessage): Promise<string | undefined> {
    const key = coalesceKeyOf(destination.key, message);
    const member = memberOf(message.event);
    const cached = this.carriers.get(key);
    if (cached && cached !== message.delivery.id && (await this.store.join(cached, member))) return cached;
    for (let i = 0; i < TRIES; i++) {
      const carrier = await this.store.openCarrier(key);
      if (carrier === message.delivery.id) return undefined;
      if (carrier && carrier !== cached && (await this.store.join(carrier, member))) {
        this.note(this.carriers, key, carrier);
        return carrier;
      }
      if (await this.store.open(key, message.delivery.id, carrier)) {
        this.note(this.carriers, key, message.delivery.id);
        return undefined;
      }
    }
    return undefined;
  }

  /** Its slot is here (a carrier's message then takes what was coalesced into it), or it waits for it on the queue. */
  private async keep(paced: Paced, message: DeliveryMessage, slot: number): Promise<void> {
    const wait = slot - this.now();
    if (wait > WAIT_HERE_MS) {
      paced.later.push({ message: { ...message, pacedAt: new Date(slot).toISOString() }, seconds: Math.ceil(wait / 1000) });
      return;
    }
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    paced.now.push(message.carrier ? await this.carried(message) : message);
  }

  /** Keeps what this process last saw, a bounded number of destinations (a long-lived local mode sees many). */
  private note<T>(seen: Map<string, T>, key: string, value: T): void {
    if (seen.size >= KEPT_DESTINATIONS && !seen.has(key)) seen.clear();
    seen.set(key, value);
  }

  /** No slot reserved (others kept reserving first): back in a few seconds, to reserve one then. */
  private later(paced: Paced, message: DeliveryMessage): void {
    const { pacedAt: _none, ...unpaced } = message;
    paced.later.push({ message: unpaced, seconds: CONTENDED_SECONDS });
  }

  /** Runs `work` after this process's earlier work on the same destination. */
  private inTurn<T>(key: string, work: () => Promise<T>): Promise<T> {
    const turn = (this.turns.get(key) ?? Promise.resolve()).then(work, work);
    const settled = turn.catch(() => undefined);
    this.turns.set(key, settled);
    void settled.then(() => this.turns.get(key) === settled && this.turns.delete(key));
    return turn;
  }
}
