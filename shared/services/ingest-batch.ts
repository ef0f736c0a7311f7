import { stateOf } from '../core/state-change.js';
import { errorBodyOf, HeraldError, type ErrorBody } from '../errors.js';
import { committed, route, type IngestDeps, type IngestResult, type Routed } from './ingest.js';
import type { EventInputBody } from '../schemas/event.js';
import type { IngestMetrics } from './ingest-metrics.js';

/** One event of a batch: its app (an ingest key's own, or the one it names with the admin key) and what was posted (its `id` is its idempotency key). */
export interface BatchedEvent {
  appId: string;
  input: Omit<EventInputBody, 'app'>;
  /** Its id names the event whatever its body says (an inbound tool's repeat): a known id is a duplicate, never a conflict. */
  idIsTheEvent?: boolean;
}

/** What became of one event of a batch: its answer, or the error a single post would have got. */
export type BatchResult = ({ index: number; status: 202 } & IngestResult) | { index: number; status: number; error: ErrorBody['error'] };

/**
 * Up to 100 events in one request (POST /v1/events/batch): each is routed as a single post
 * would be (its own idempotency, through its `id`), those accepted share the queue calls,
 * and each gets its own answer, in the order sent. One refused (a conflict, the app's
 * quota, an app that does not exist) refuses only itself. Events that report the status of
 * one thing (an app's check, monitor...), and events with one id, go one after another, each
 * stored before the next is routed, as posted one by one: a failure and its recovery in one
 * batch are both told, in order, and an id sent twice is a duplicate of the first.
 */
export async function ingestBatch(deps: IngestDeps, events: (BatchedEvent | HeraldError)[], tally?: IngestMetrics): Promise<BatchResult[]> {
  const now = deps.clock();
  const answers: BatchResult[] = [];
  const answer = (index: number, outcome: IngestResult | HeraldError) => {
    if (outcome instanceof HeraldError) tally?.refused(outcome.code);
    else tally?.accepted();
    answers[index] =
      outcome instanceof HeraldError
        ? { index, status: outcome.status, error: errorBodyOf(outcome).error }
        : { index, status: 202, ...outcome };
  };
  const routeOne = async (e: BatchedEvent): Promise<Routed | IngestResult | HeraldError> => {
    try {
      return await route(deps, e.appId, e.input, undefined, now, e.idIsTheEvent ? { idIsTheEvent: true } : {});
    } catch (err) {
      if (err instanceof HeraldError) return err;
      throw err;
    }
  };
  const { together, chains } = chainsOf(events);
  const oneByOne = async (indexes: number[]) => {
    for (const index of indexes) {
      const routed = await routeOne(events[index] as BatchedEvent);
      answer(
        index,
        routed instanceof HeraldError || 'duplicate' in routed ? routed : ((await committed(deps, [routed], tally))[0] as IngestResult),
      );
    }
  };
  const shared = async () => {
    const routed = await Promise.all(
      together.map((index) => {
        const e = events[index] as BatchedEvent | HeraldError;
        return e instanceof HeraldError ? e : routeOne(e);
      }),
    );
    const toCommit = together.flatMap((index, i) => {
      const r = routed[i] as Routed | IngestResult | HeraldError;
      if (r instanceof HeraldError || 'duplicate' in r) return (answer(index, r), []);
      return [{ index, routed: r }];
    });
    const results = await committed(
      deps,
      toCommit.map((c) => c.routed),
      tally,
    );
    toCommit.forEach((c, i) => answer(c.index, results[i] as IngestResult));
  };
  await Promise.all([shared(), ...chains.map(oneByOne)]);
  await deps.silenceCounts.tell(deps.silences);
  return answers;
}

/**
 * The events of a batch that must go one after another (chains, in the order sent): those
 * sharing an app and the thing whose status they report, or an app and an id, transitively.
 * The others (`together`, chains of one included) share the queue calls.
 */
function chainsOf(events: (BatchedEvent | HeraldError)[]): { together: number[]; chains: number[][] } {
  const together: number[] = [];
  const chainOf = new Map<string, number[]>();
  events.forEach((e, index) => {
    const keys = e instanceof HeraldError ? [] : keysOf(e);
    if (keys.length === 0) return void together.push(index);
    const joined = [...new Set(keys.flatMap((k) => chainOf.get(k) ?? []))];
    const chain = [...joined, index].sort((a, b) => a - b);
    for (const [k, c] of chainOf) if (c.some((i) => joined.includes(i))) chainOf.set(k, chain);
    for (const k of keys) chainOf.set(k, chain);
  });
  // A chain of one has nothing to wait for: it shares the queue calls with the rest (a group of alerts, each with its own id and check).
  const chains = [...new Set(chainOf.values())];
  for (const chain of chains) if (chain.length === 1) together.push(chain[0] as number);
  return { together: together.sort((a, b) => a - b), chains: chains.filter((chain) => chain.length > 1) };
}

const keysOf = ({ appId, input }: BatchedEvent): string[] => {
  const state = stateOf(input);
  return [...(state ? [`${appId} ${state.key}`] : []), ...(input.id !== undefined ? [`${appId} id:${input.id}`] : [])];
};
