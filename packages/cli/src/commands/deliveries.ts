import type { Command } from 'commander';
import { contextOf, limitOption, listOption, timeOption, type Context } from '../context.js';
import type { components, HeraldApi, paths } from '@herald/client';
import { UsageError } from '../failure.js';
import { secondsOption } from '../grouping.js';
import { clockTime, colourStatus, relativeTime } from '../output.js';

type Delivery = components['schemas']['Delivery'];
/** The deliveries list's query, as openapi.json declares it. */
type DeliveryFilter = NonNullable<paths['/v1/apps/{appId}/deliveries']['get']['parameters']['query']>;

const listDeliveries = (api: HeraldApi, appId: string, query: DeliveryFilter) =>
  api.get('/v1/apps/{appId}/deliveries', { path: { appId }, query });

/** `herald deliveries ls|tail|resend`: the delivery log of an app (admin key). */
export function deliveryCommands(program: Command): void {
  const deliveries = program.command('deliveries').description("an app's delivery log: list, follow live, resend (admin key)");
  const filtered = (command: Command) =>
    command
      .option('--app <id>', 'the app (default: HERALD_APP)')
      .option('--status <status>', 'queued, retrying, sent, failed, dead, suppressed, grouped, coalesced; comma-separated', listOption)
      .option('--channel <channel>', 'email, slack, webhook...')
      .option('--notifier <id>', "one notifier's")
      .option('--event <id>', "one event's")
      .option('--type <type>', 'events of this type');

  filtered(deliveries.command('ls').description('the deliveries, newest first'))
    .option('--since <time>', 'created since: an ISO time, or how long ago (15m, 1h, 2d)')
    .option('--until <time>', 'created before: an ISO time, or how long ago')
    .option('--limit <n>', 'at most this many (1 to 100)', '20')
    .option('--cursor <cursor>', 'the next page: the --cursor the previous one printed')
    .addHelpText('after', '\nExample:\n  $ herald deliveries ls --app shop --status failed --channel slack --since 1h')
    .action(async (options: FilterOptions & { since?: string; until?: string; limit: string; cursor?: string }, command: Command) => {
      const limit = limitOption(options.limit);
      const ctx = contextOf(command);
      const query = {
        ...filterOf(options),
        ...(options.since ? { since: timeOption(options.since, '--since') } : {}),
        ...(options.until ? { until: timeOption(options.until, '--until') } : {}),
        limit,
        ...(options.cursor ? { cursor: options.cursor } : {}),
      };
      const page = await listDeliveries(ctx.api, await ctx.app(options.app), query);
      ctx.out.result(page, () => {
        ctx.out.table(page.deliveries.map(row), ['created', 'status', 'channel', 'recipient', 'attempts', 'last', 'via', 'id']);
        ctx.out.more(page.deliveries.length, page.nextCursor);
      });
    });

  filtered(deliveries.command('tail').description('follow new deliveries and their outcomes live, until Ctrl-C'))
    .option('--interval <duration>', 'how often to look: 5s, 1m, or a number of seconds (at least 1)', '1')
    .addHelpText('after', '\nExample:\n  $ herald deliveries tail --app shop --channel webhook')
    .action(async (options: FilterOptions & { interval: string }, command: Command) => {
      const interval = secondsOption(options.interval, '--interval');
      if (interval < 1) throw new UsageError(`--interval ${options.interval}: at least 1 second`);
      const ctx = contextOf(command);
      await tail(ctx, await ctx.app(options.app), filterOf(options), interval * 1000);
    });

  deliveries
    .command('resend <id>')
    .description('a new attempt of a failed or dead delivery (same delivery id, so receivers dedupe)')
    .option('--app <id>', 'the app (default: HERALD_APP)')
    .addHelpText('after', '\nExample:\n  $ herald deliveries resend dlv_01kbx... --app shop')
    .action(async (id: string, options: { app?: string }, command: Command) => {
      const ctx = contextOf(command);
      const { delivery } = await ctx.api.post('/v1/apps/{appId}/deliveries/{id}/resend', {
        path: { appId: await ctx.app(options.app), id },
      });
      ctx.out.result({ delivery }, () =>
        ctx.out.line(`Resending ${delivery.id} (${delivery.channel} → ${delivery.recipient}): ${delivery.status}.`),
      );
    });
}

interface FilterOptions {
  app?: string;
  status?: string[];
  channel?: string;
  notifier?: string;
  event?: string;
  type?: string;
}

function filterOf(o: FilterOptions): DeliveryFilter {
  return {
    ...(o.status ? { status: o.status.join(',') } : {}),
    // A channel Herald does not know is its to refuse (400, naming `channel`).
    ...(o.channel ? { channel: o.channel as DeliveryFilter['channel'] } : {}),
    ...(o.notifier ? { notifierId: o.notifier } : {}),
    ...(o.event ? { eventId: o.event } : {}),
    ...(o.type ? { type: o.type } : {}),
  };
}

function row(d: Delivery): Record<string, unknown> {
  return {
    created: relativeTime(d.createdAt),
    status: d.status,
    channel: d.channel,
    recipient: d.recipient,
    attempts: d.attemptCount, // attempts keeps the first 2 and the latest 8
    last: lastAttempt(d),
    via: via(d),
    id: d.id,
  };
}

/** How it came about, and where it led: "step 2 (round 1) of ntf_…", "failover of dlv_…", "failed over to dlv_…". */
function via(d: Delivery): string {
  return [
    d.escalation
      ? `step ${d.escalation.step}${d.escalation.round > 1 ? ` (round ${d.escalation.round})` : ''} of ${d.escalation.notifierId}`
      : '',
    d.failoverOf ? `failover of ${d.failoverOf}` : '',
    d.failedOverTo?.length ? `failed over to ${d.failedOverTo.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

function lastAttempt(d: Delivery): string {
  const a = d.attempts.at(-1);
  if (!a) return d.reason ?? '';
  return [a.statusCode, a.error ?? d.reason, `${a.latencyMs} ms`].filter((x) => x !== undefined && x !== '').join(' ');
}

/**
 * Follow the log: what exists when it starts is the baseline; every delivery made after, and
 * every change of status, prints one line (one JSON object per line with --json), oldest first.
 */
async function tail(ctx: Context, appId: string, filter: DeliveryFilter, intervalMs: number): Promise<void> {
  const known = new Map<string, string>();
  const startedAt = new Date(Date.now() - 60_000).toISOString(); // a minute of slack for the server's clock
  const look = async () => {
    const seen: Delivery[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await listDeliveries(ctx.api, appId, { ...filter, since: startedAt, limit: 100, ...(cursor ? { cursor } : {}) });
      seen.push(...page.deliveries);
      // Newest first: a page with nothing new means the older pages hold nothing new either.
      if (!page.nextCursor || page.deliveries.every((d) => known.get(d.id) === d.status)) break;
      cursor = page.nextCursor;
    }
    return seen.reverse();
  };
  for (const d of await look()) known.set(d.id, d.status);
  if (!ctx.out.json) process.stderr.write(`Following the deliveries of ${appId}; Ctrl-C stops.\n`);
  // Ctrl-C ends the wait at once (its timer cleared, so nothing holds the process), not after it.
  let stopped = false;
  let wake = () => {};
  process.once('SIGINT', () => {
    stopped = true;
    wake();
  });
  while (!stopped) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, intervalMs);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    if (stopped) break;
    for (const d of await look()) {
      if (known.get(d.id) === d.status) continue;
      known.set(d.id, d.status);
      if (ctx.out.json) ctx.out.line(JSON.stringify(d));
      else
        ctx.out.line(
          `${clockTime(d.attempts.at(-1)?.at ?? d.createdAt)} ${colourStatus(ctx.out.colour, d.status.padEnd(10))} ${d.channel} → ${d.recipient} ${ctx.out.colour('dim', `${d.id} ${[lastAttempt(d), via(d)].filter(Boolean).join('; ')}`)}`,
        );
    }
  }
}
