import type { Command } from 'commander';
import { GLOBAL_SILENCE, HeraldSilences, type Silence } from '@herald/client';
import { contextOf, durationMs, futureTimeOption, isIsoTime, repeatOption, type Context } from '../context.js';
import { UsageError } from '../failure.js';
import { formatMatcher, namingMatchers, parseMatcher } from '../matchers.js';
import { relativeTime } from '../output.js';

const MATCHERS_HELP =
  'field=value, field!=value, field=~pattern or field!~pattern (RE2, the whole value); fields: type, severity, title, message, fingerprint, check, status, data.<path>, source.<path>';

interface ScopeOptions {
  app?: string;
  global?: boolean;
}

/** `herald silence add|ls|expire|preview`: silences as amtool's, an app's (--app) or every app's (--global), admin key. */
export function silenceCommands(program: Command): void {
  const silence = program
    .command('silence')
    .alias('silences')
    .description('silences: while one is active, the events its matchers match are recorded silenced and sent nowhere (admin key)');
  const scoped = (command: Command) =>
    command.option('--app <id>', 'the app (default: HERALD_APP)').option('--global', "every app's events");
  const run =
    <O extends ScopeOptions>(action: (ctx: Context, api: HeraldSilences, appId: string, options: O, first: unknown) => Promise<void>) =>
    async (...args: unknown[]) => {
      const ctx = contextOf(args.at(-1) as Command);
      const options = args.at(-2) as O;
      if (options.global && options.app) throw new UsageError('--app or --global, not both');
      const appId = options.global ? GLOBAL_SILENCE : await ctx.app(options.app);
      await action(ctx, new HeraldSilences(ctx.api), appId, options, args[0]);
    };

  scoped(silence.command('add [matchers...]').description('silence the events every matcher matches, from now (or --start) for a while'))
    .option('--match <matcher>', `a matcher (or give them as arguments): ${MATCHERS_HELP}; repeat`, repeatOption)
    .option('--for <duration>', 'how long: 90m, 2h, 1h30m, 3d (default 1h, as amtool)')
    .option('--until <time>', 'when it ends: an ISO time')
    .option('--start <time>', 'when it starts, if later: an ISO time or in how long (default now)')
    .requiredOption('--comment <text>', 'why, for whoever reads the list')
    .option('--by <who>', 'who (default: the key)')
    .addHelpText(
      'after',
      "\nExamples:\n  $ herald silence add --app shop --match data.cluster=eu-1 --match 'type=~db\\..*' --for 2h --comment 'eu-1 database maintenance' --by ops@shop.example\n  $ herald silence add --global 'title=~Backup .*' --until 2026-12-01T06:00:00Z --comment 'backups moved'",
    )
    .action(
      run(async (ctx, api, appId, options: AddOptions, positional) => {
        const typed = [...((positional as string[] | undefined) ?? []), ...(options.match ?? [])];
        if (typed.length === 0) throw new UsageError("no matcher: --match 'field=value' (or as arguments)");
        if (options.for && options.until) throw new UsageError('--for or --until, not both');
        const startsAt = options.start ? futureTimeOption(options.start, '--start') : undefined;
        const from = startsAt ? Date.parse(startsAt) : Date.now();
        const endsAt = options.until ? untilOption(options.until) : new Date(from + forOption(options.for ?? '1h')).toISOString();
        const created = await namingMatchers(
          typed,
          api.create(appId, {
            matchers: typed.map(parseMatcher),
            ...(startsAt ? { startsAt } : {}),
            endsAt,
            comment: options.comment,
            ...(options.by ? { by: options.by } : {}),
          }),
        );
        ctx.out.result({ silence: created }, () => {
          ctx.out.line(`Silence ${ctx.out.colour('bold', created.id)} (${created.state}) ${when(created)}: ${matchersOf(created)}`);
          ctx.out.line(ctx.out.colour('dim', `End it early with: herald silence expire ${created.id} ${scopeFlag(appId)}`));
        });
      }),
    );

  scoped(silence.command('ls').description('list the silences, active and pending (--all: expired ones too), newest first'))
    .option('--all', 'expired ones too')
    .addHelpText('after', '\nExamples:\n  $ herald silence ls --app shop\n  $ herald silence ls --global --all --json')
    .action(
      run(async (ctx, api, appId, options: ScopeOptions & { all?: boolean }) => {
        const silences = (await api.list(appId)).filter((s) => options.all || s.state !== 'expired');
        ctx.out.result({ silences }, () =>
          ctx.out.table(silences.map(row), ['id', 'state', 'when', 'matchers', 'silenced', 'by', 'comment']),
        );
      }),
    );

  scoped(silence.command('expire <id>').description('end a silence now: it stays listed, expired'))
    .addHelpText('after', '\nExample:\n  $ herald silence expire sil_01kbx... --app shop')
    .action(
      run(async (ctx, api, appId, _options, id) => {
        await api.expire(appId, id as string);
        ctx.out.result({ expired: id }, () => ctx.out.line(`Expired silence ${id}.`));
      }),
    );

  silence
    .command('preview [matchers...]')
    .description("which of an app's latest 200 events these matchers would have silenced")
    .option('--app <id>', 'the app (default: HERALD_APP)')
    .option('--match <matcher>', `a matcher (or give them as arguments): ${MATCHERS_HELP}; repeat`, repeatOption)
    .addHelpText('after', "\nExample:\n  $ herald silence preview --app shop --match data.cluster=eu-1 --match 'type=~db\\..*'")
    .action(async (positional: string[], options: { app?: string; match?: string[] }, command: Command) => {
      const ctx = contextOf(command);
      const typed = [...positional, ...(options.match ?? [])];
      if (typed.length === 0) throw new UsageError("no matcher: --match 'field=value' (or as arguments)");
      const preview = await namingMatchers(typed, new HeraldSilences(ctx.api).preview(await ctx.app(options.app), typed.map(parseMatcher)));
      ctx.out.result(preview, () => {
        const rows = preview.events.map((e) => ({ ...e, received: relativeTime(e.receivedAt) }));
        ctx.out.table(rows, ['id', 'type', 'severity', 'title', 'received']);
        ctx.out.line(`${preview.events.length} of the latest ${preview.scanned} events would have been silenced.`);
      });
    });
}

interface AddOptions extends ScopeOptions {
  match?: string[];
  for?: string;
  until?: string;
  start?: string;
  comment: string;
  by?: string;
}

function forOption(value: string): number {
  const ms = durationMs(value);
  if (ms === undefined) throw new UsageError(`--for ${value}: a duration (90m, 2h, 1h30m, 3d, 1w); for a time, --until`);
  return ms;
}

/** --until is an ISO time, not a duration (`--until 2h` most likely meant `--for 2h`) nor a bare number (Date.parse reads `2` as 2001). */
function untilOption(value: string): string {
  if (!isIsoTime(value)) throw new UsageError(`--until ${value}: an ISO time (2026-12-01T06:00:00Z); for a duration, --for`);
  return new Date(value).toISOString();
}

const matchersOf = (s: Silence) => s.matchers.map(formatMatcher).join(' ');
const scopeFlag = (appId: string) => (appId === GLOBAL_SILENCE ? '--global' : `--app ${appId}`);

/** "ends in 2h", "starts in 10m", "ended 3m ago". */
function when(s: Silence): string {
  if (s.state === 'pending') return `starts ${relativeTime(s.startsAt, Date.now(), 2)}`;
  if (s.state === 'active') return `ends ${relativeTime(s.endsAt, Date.now(), 2)}`;
  return `ended ${relativeTime(s.expiredAt ?? s.endsAt)}`;
}

function row(s: Silence): Record<string, unknown> {
  return { id: s.id, state: s.state, when: when(s), matchers: matchersOf(s), silenced: s.silenced, by: s.createdBy, comment: s.comment };
}
