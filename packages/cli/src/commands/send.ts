import type { Command } from 'commander';
import { Herald } from '@herald/client';
import { contextOf, objectOption } from '../context.js';

/** `herald send TYPE`: post an event, as an app would (its ingest key, or the admin key and --app). */
export function sendCommand(program: Command): void {
  program
    .command('send <type>')
    .description("post an event, retried safely (one Idempotency-Key over every attempt): an app's ingest key, or the admin key and --app")
    .option('--app <id>', 'the app, with the admin key (default: HERALD_APP)')
    .option('--title <title>', 'a one-line title')
    .option('--message <text>', 'the message')
    .option('--severity <severity>', "info, warning or critical (default: the catalog's)")
    .option('--data <json>', 'any data: JSON or @file.json')
    .option('--fingerprint <fp>', 'groups repeats of the same problem')
    .option('--occurred-at <time>', 'when it happened (ISO time; default now)')
    .option('--idempotency-key <key>', 'the same key within 24 h is the same event: sent once')
    .addHelpText(
      'after',
      '\nExample:\n  $ herald send app_deployed --title "Deployed v42" --data \'{"commit":"ac77098"}\'\n  $ herald send backup.failed --severity critical --data @backup.json',
    )
    .action(async (type: string, options: SendOptions, command: Command) => {
      const ctx = contextOf(command);
      // With the admin key the event names its app; an ingest key's app is its own.
      const app =
        options.app ?? process.env['HERALD_APP'] ?? ((await ctx.identity()).scope === 'admin' ? await ctx.app(undefined) : undefined);
      const herald = new Herald({ url: ctx.url, key: ctx.key });
      const answer = await herald.send(
        type,
        {
          ...(app ? { app } : {}),
          ...(options.title ? { title: options.title } : {}),
          ...(options.message ? { message: options.message } : {}),
          ...(options.severity ? { severity: options.severity as 'info' } : {}), // Herald checks it (400 severity)
          ...(options.data ? { data: objectOption(options.data, '--data') } : {}),
          ...(options.fingerprint ? { fingerprint: options.fingerprint } : {}),
          ...(options.occurredAt ? { occurredAt: options.occurredAt } : {}),
        },
        options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {},
      );
      ctx.out.result(answer, () => {
        const head = `${answer.duplicate ? 'Already accepted' : 'Accepted'} ${ctx.out.colour('bold', answer.eventId)}: ${answer.deliveries} ${answer.deliveries === 1 ? 'delivery' : 'deliveries'}`;
        ctx.out.line(answer.unchanged ? `${head} (the status did not change: nobody is told)` : head);
        for (const d of answer.declined) ctx.out.line(`  ${ctx.out.colour('yellow', 'declined')} by ${d.notifierId}: ${d.reason}`);
      });
    });
}

interface SendOptions {
  app?: string;
  title?: string;
  message?: string;
  severity?: string;
  data?: string;
  fingerprint?: string;
  occurredAt?: string;
  idempotencyKey?: string;
}
