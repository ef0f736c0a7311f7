import { Option, type Command } from 'commander';
import { HeraldIncidents, type Incident, type IncidentStatus } from '@herald/client';
import { contextOf, limitOption, type Context } from '../context.js';
import { relativeTime } from '../output.js';

/** What `ls --status` takes: a status, or all; without it, the incidents someone may still act on. */
const STATUS_CHOICES = ['open', 'acknowledged', 'resolved', 'all'] as const;
type StatusChoice = (typeof STATUS_CHOICES)[number];
const UNRESOLVED: IncidentStatus[] = ['open', 'acknowledged'];

interface ListOptions {
  app?: string;
  status?: StatusChoice;
  limit: string;
}

interface ActionOptions {
  app?: string;
  by?: string;
  note?: string;
}

/** `herald incidents ls|ack|resolve`: an app's incidents (a failing check opens one, its recovery resolves it), admin key. */
export function incidentCommands(program: Command): void {
  const incidents = program
    .command('incidents')
    .alias('incident')
    .description(
      "an app's incidents: a failing check opens one, its recovery resolves it; acknowledged, its further failures are held (admin key)",
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ herald incidents ls --app shop\n  $ herald incidents ack icd_01kbx... --app shop --by ops@shop.example --note "looking into it"',
    );
  const forApp = (command: Command) => command.option('--app <id>', 'the app (default: HERALD_APP)');

  forApp(incidents.command('ls').description('the incidents, newest first: the open and acknowledged ones, unless --status'))
    .addOption(new Option('--status <status>', 'only these (default: open and acknowledged)').choices(STATUS_CHOICES))
    .option('--limit <n>', 'at most this many (1 to 100)', '20')
    .addHelpText('after', '\nExamples:\n  $ herald incidents ls --app shop\n  $ herald incidents ls --app shop --status resolved --json')
    .action(async (options: ListOptions, command: Command) => {
      const limit = limitOption(options.limit);
      const ctx = contextOf(command);
      const appId = await ctx.app(options.app);
      // The API filters by one status: the default view asks for each of its two and merges them.
      const statuses = options.status === undefined ? UNRESOLVED : options.status === 'all' ? [undefined] : [options.status];
      const client = new HeraldIncidents(ctx.api);
      const pages = await Promise.all(statuses.map((status) => client.list(appId, { limit, ...(status ? { status } : {}) })));
      const merged = pages.flatMap((p) => p.incidents).sort(newestFirst);
      const listed = merged.slice(0, limit);
      const more = merged.length > listed.length || pages.some((p) => p.nextCursor);
      const withResolved = options.status === 'resolved' || options.status === 'all';
      // One status asked: the API's nextCursor; the default view merges two lists, which no one cursor continues.
      const nextCursor = pages.length === 1 ? (pages[0]?.nextCursor ?? null) : null;
      ctx.out.result({ incidents: listed, more, nextCursor }, () => {
        const columns = ['id', 'status', 'title', 'check', 'severity', 'since', 'acknowledged by', 'note'];
        ctx.out.table(listed.map(row), withResolved ? [...columns, 'resolved'] : columns);
        if (more) ctx.out.line(ctx.out.colour('dim', `More than ${listed.length}: --limit (up to 100).`));
      });
    });

  const act =
    (action: 'ack' | 'resolve', done: (i: Incident) => string) => async (id: string, options: ActionOptions, command: Command) => {
      const ctx: Context = contextOf(command);
      const input = { ...(options.by ? { by: options.by } : {}), ...(options.note ? { note: options.note } : {}) };
      // A 409 (acknowledged or resolved already) exits 1 with Herald's message, which says by whom.
      const incident = await new HeraldIncidents(ctx.api)[action](await ctx.app(options.app), id, input);
      ctx.out.result({ incident }, () => ctx.out.line(done(incident)));
    };
  const who = (command: Command) =>
    forApp(command)
      .option('--by <who>', 'who: free text such as an e-mail (default: the key)')
      .option('--note <text>', 'a note, for whoever was told');

  who(
    incidents
      .command('ack <id>')
      .description('acknowledge an open incident ("I\'m on it"): its further failures are held until it recovers'),
  )
    .addHelpText('after', '\nExample:\n  $ herald incidents ack icd_01kbx... --app shop --by ops@shop.example --note "looking into it"')
    .action(act('ack', (i) => `Acknowledged ${i.id} (${i.check}: ${i.title}) as ${i.acknowledgedBy}${i.note ? `: ${i.note}` : ''}.`));

  who(incidents.command('resolve <id>').description('resolve an incident by hand, before its check recovers'))
    .addHelpText('after', '\nExample:\n  $ herald incidents resolve icd_01kbx... --app shop --by ops@shop.example --note "fixed by hand"')
    .action(act('resolve', (i) => `Resolved ${i.id} (${i.check}: ${i.title}) as ${i.resolvedBy}.`));
}

/** As the API lists: the newest first (ids are ULIDs, in the order incidents open). */
const newestFirst = (a: Incident, b: Incident) => b.since.localeCompare(a.since) || b.id.localeCompare(a.id);

function row(i: Incident): Record<string, unknown> {
  return {
    id: i.id,
    status: i.status,
    title: i.title,
    check: i.check,
    severity: i.severity,
    since: relativeTime(i.since),
    'acknowledged by': i.acknowledgedBy,
    note: i.note,
    resolved: i.resolvedAt ? `${relativeTime(i.resolvedAt)} by ${i.resolvedBy ?? '?'}` : '',
  };
}
