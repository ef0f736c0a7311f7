import type { Command } from 'commander';
import { contextOf, limitOption, type Context } from '../context.js';
import { relativeTime } from '../output.js';
import type { paths } from '@herald/client';

/** A channel family, as openapi.json names them; one Herald does not know is its to refuse (400). */
type Family = paths['/v1/dlq/{channel}']['get']['parameters']['path']['channel'];

/** `herald dlq ls|redrive`: dead letters (deliveries whose attempts ran out), by channel family (admin key). */
export function dlqCommands(program: Command): void {
  const dlq = program.command('dlq').description('dead letters by channel family: count, list, send again (admin key)');

  dlq
    .command('ls')
    .description("how many dead letters each family has; with --family, that family's dead deliveries")
    .option('--family <family>', 'email, sms, slack, webhook, chat, push or incident')
    .option('--limit <n>', 'with --family: at most this many (1 to 100)', '20')
    .option('--cursor <cursor>', 'with --family: the next page, the --cursor the previous one printed')
    .addHelpText('after', '\nExamples:\n  $ herald dlq ls\n  $ herald dlq ls --family webhook')
    .action(async (options: { family?: string; limit: string; cursor?: string }, command: Command) => {
      const limit = limitOption(options.limit);
      const ctx = contextOf(command);
      if (options.family) {
        const page = await ctx.api.get('/v1/dlq/{channel}', {
          path: { channel: options.family as Family },
          query: { limit, ...(options.cursor ? { cursor: options.cursor } : {}) },
        });
        ctx.out.result(page, () => {
          ctx.out.table(
            page.deliveries.map((d) => ({
              died: relativeTime(d.attempts.at(-1)?.at ?? d.createdAt),
              channel: d.channel,
              recipient: d.recipient,
              error: d.attempts.at(-1)?.error ?? d.reason,
              id: d.id,
            })),
            ['died', 'channel', 'recipient', 'error', 'id'],
          );
          ctx.out.more(page.deliveries.length, page.nextCursor);
        });
        return;
      }
      const counts = await ctx.api.get('/v1/dlq', {});
      ctx.out.result(counts, () =>
        ctx.out.table(
          Object.entries(counts.channels).map(([family, { messages }]) => ({ family, dead: messages })),
          ['family', 'dead'],
        ),
      );
    });

  dlq
    .command('redrive')
    .description('send the dead letters again, with fresh attempts (every family, or --family)')
    .option('--family <family>', 'only this family')
    .addHelpText('after', '\nExamples:\n  $ herald dlq redrive\n  $ herald dlq redrive --family webhook')
    .action(async (options: { family?: string }, command: Command) => {
      const ctx = contextOf(command);
      const moved = await redrive(ctx, options.family);
      const total = Object.values(moved).reduce((a, b) => a + b, 0);
      ctx.out.result({ moved, total }, () =>
        ctx.out.line(
          `Moved ${total} dead ${total === 1 ? 'delivery' : 'deliveries'} back to their queues` +
            (total
              ? ` (${Object.entries(moved)
                  .filter(([, n]) => n)
                  .map(([f, n]) => `${f} ${n}`)
                  .join(', ')}).`
              : '.'),
        ),
      );
    });
}

/** Each family's redrive moves at most 1000 a call: call again until it moves nothing, with a progress bar. */
async function redrive(ctx: Context, only: string | undefined): Promise<Record<string, number>> {
  const { channels } = await ctx.api.get('/v1/dlq', {});
  const families = only ? [only] : Object.keys(channels).filter((f) => (channels[f as keyof typeof channels]?.messages ?? 0) > 0);
  const total = families.reduce((n, f) => n + (channels[f as keyof typeof channels]?.messages ?? 0), 0);
  const moved: Record<string, number> = {};
  let done = 0;
  for (const family of families) {
    moved[family] = 0;
    ctx.out.progress(done, total, family);
    for (;;) {
      const answer = await ctx.api.post('/v1/dlq/{channel}/redrive', { path: { channel: family as 'webhook' } }); // Herald checks it (400)
      if (answer.moved === 0) break;
      moved[family] += answer.moved;
      done += answer.moved;
      ctx.out.progress(Math.min(done, total), total, family);
    }
  }
  if (total) ctx.out.progress(total, total, 'done');
  return moved;
}
