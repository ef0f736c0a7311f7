import type { Command } from 'commander';
import type { components } from '@herald/client';
import { contextOf, listOption, objectOption } from '../context.js';
import { CommandFailed, UsageError } from '../failure.js';
import { digestOf, digestOptions, digestText, type DigestOptions } from '../digest.js';
import { escalationOf, escalationOptions, escalationText, failoverOf, failoverText, type EscalationOptions } from '../escalation.js';
import { groupingOf, groupingOptions, groupingText, type GroupingOptions } from '../grouping.js';
import { relativeTime, targetText } from '../output.js';

type Notifier = components['schemas']['Notifier'];
type NotifierCreate = components['schemas']['NotifierCreate'];
type NotifierPatch = components['schemas']['NotifierPatch'];

interface Scope {
  app?: string;
  global?: boolean;
}

/** `herald notifiers ls|show|add|edit|test|rm`: an app's notifiers, or the global ones with --global. */
export function notifierCommands(program: Command): void {
  const notifiers = program.command('notifiers').description("an app's notifiers, or the global ones (--global): admin key");
  const scoped = (command: Command) =>
    command.option('--app <id>', 'the app (default: HERALD_APP)').option('--global', "the global notifiers, which get every app's events");

  scoped(notifiers.command('ls').description('list the notifiers'))
    .option('--cursor <cursor>', 'the next page: the --cursor the previous one printed')
    .addHelpText('after', '\nExample:\n  $ herald notifiers ls --app shop')
    .action(async (options: Scope & { cursor?: string }, command: Command) => {
      const ctx = contextOf(command);
      const query = { limit: 100, ...(options.cursor ? { cursor: options.cursor } : {}) };
      const page = options.global
        ? await ctx.api.get('/v1/notifiers', { query })
        : await ctx.api.get('/v1/apps/{appId}/notifiers', { path: { appId: await ctx.app(options.app) }, query });
      ctx.out.result(page, () => {
        ctx.out.table(page.notifiers.map(row), ['id', 'name', 'channel', 'target', 'events', 'enabled', 'grouping', 'digest']);
        ctx.out.more(page.notifiers.length, page.nextCursor);
      });
    });

  scoped(notifiers.command('show <id>').description('show a notifier: what it sends, where, and how it groups or digests'))
    .addHelpText('after', '\nExample:\n  $ herald notifiers show ntf_01kbx... --app shop')
    .action(async (id: string, options: Scope, command: Command) => {
      const ctx = contextOf(command);
      const { notifier: n } = options.global
        ? await ctx.api.get('/v1/notifiers/{id}', { path: { id } })
        : await ctx.api.get('/v1/apps/{appId}/notifiers/{id}', { path: { appId: await ctx.app(options.app), id } });
      const r = row(n);
      ctx.out.result({ notifier: n }, () =>
        ctx.out.fields([
          ['id', n.id],
          ['name', n.name],
          ['channel', n.channel ?? (n.escalation ? 'none: it escalates' : 'contacts and groups')],
          ['target', r['target']],
          ...(n.escalation ? [['escalation', escalationText(n.escalation)] as [string, string]] : []),
          ['failover', n.failover ? failoverText(n.failover) : 'none'],
          ['events', n.events.join(', ') + (n.exclude?.length ? `, not ${n.exclude.join(', ')}` : '')],
          ['min severity', n.minSeverity],
          ['enabled', r['enabled']],
          ['grouping', n.grouping ? groupingText(n.grouping) : 'none: each event sent on its own'],
          ['digest', n.digest ? digestText(n.digest) : 'none'],
          [
            'rate',
            n.rate ? `at most ${n.rate.perSecond}/s, bursts of ${n.rate.burst}` : "the provider's published rate (webhooks: not paced)",
          ],
          ['updated', `${n.updatedAt} (${r['updated']})`],
        ]),
      );
    });

  escalationOptions(
    digestOptions(
      groupingOptions(
        scoped(
          notifiers
            .command('add')
            .description('add a notifier: a channel and its target (or contacts, or escalation steps), the events it wants'),
        ),
      ),
    ),
  )
    .requiredOption('--name <name>', 'its name')
    .option(
      '--channel <channel>',
      'email, sms, slack, webhook, discord, telegram, ntfy... (README: Channels); or --contact/--group, or --escalate',
    )
    .option('--contact <id>', 'instead of a channel: a contact it reaches on each of its channels; repeat or comma-separate', listOption)
    .option('--group <id>', 'instead of a channel: a contact group; repeat or comma-separate', listOption)
    .option('--to <recipient>', 'an address or E.164 number (email, sms, twilio_*, vonage); repeat or comma-separate', listOption)
    .option('--target-url <url>', 'the URL it posts to (slack, webhook, discord, teams, google_chat, mattermost, rocketchat)')
    .option('--secret <whsec>', "a webhook's Standard Webhooks signing secret")
    .option('--target <json>', 'the whole target: JSON or @file.json (README: Channels)')
    .option('--events <selectors>', 'types, globs (monitor.*), categories (@deployment) or *; comma-separated', listOption)
    .option('--min-severity <severity>', 'info, warning or critical')
    .option('--rate <perSecond>', "send at most this many a second to its destination (default: the provider's published rate)", Number)
    .option('--burst <n>', 'with --rate: how many may go at once after a quiet spell (default 1)', Number)
    .option('--test', 'send a test notification at once')
    .addHelpText(
      'after',
      '\nExamples:\n  $ herald notifiers add --app shop --name "Ops mail" --channel email --to ops@example.com --events @deployment,app_crashed\n  $ herald notifiers add --app shop --name "On call" --contact con_01kbx... --group cgr_01kby... --events @monitoring\n  $ herald notifiers add --app shop --name Hook --channel webhook --target @target.json --rate 5 --burst 10\n  $ herald notifiers add --app shop --name Ops --channel slack --target-url https://hooks.slack.com/... --group-by data.cluster --group-wait 30s\n  $ herald notifiers add --app shop --name "Morning mail" --channel email --to ops@example.com --digest-schedule \'0 9 * * 1-5\' --digest-time-zone Europe/Berlin\n  $ herald notifiers add --app shop --name "Escalate" --events monitor.* --escalate 0:notifier=ntf_01kba... --escalate 10m:notifier=ntf_01kbb...,contact=con_01kbc... --repeat 2\n  $ herald notifiers add --app shop --name Hook --channel webhook --target-url https://hooks.example.com/herald --failover-to notifier=ntf_01kbm... --failover-after 15m',
    )
    .action(async (options: Scope & AddOptions, command: Command) => {
      const ctx = contextOf(command);
      const grouping = groupingOf(options);
      const digest = digestOf(options, false);
      const named = options.contact || options.group;
      const escalation = escalationOf(options);
      const failover = failoverOf(options);
      const ways = [options.channel, named, escalation].filter(Boolean).length;
      if (ways !== 1)
        throw new UsageError('whom it reaches: --channel (and its target), --contact/--group, or --escalate steps: one of them');
      const body = {
        name: options.name,
        ...(escalation
          ? { escalation }
          : named
            ? { ...(options.contact ? { contacts: options.contact } : {}), ...(options.group ? { groups: options.group } : {}) }
            : { channel: options.channel, target: targetOf(options) }),
        ...(failover ? { failover } : {}),
        ...(options.events ? { events: options.events } : {}),
        ...(options.minSeverity ? { minSeverity: options.minSeverity } : {}),
        ...(rateOf(options) ? { rate: rateOf(options) } : {}),
        ...(grouping ? { grouping } : {}),
        ...(digest ? { digest } : {}),
        ...(options.test ? { confirm: true } : {}),
      } as NotifierCreate; // Herald checks the channel and its target (400 with the field at fault)
      const { notifier, secret } = options.global
        ? await ctx.api.post('/v1/notifiers', { body })
        : await ctx.api.post('/v1/apps/{appId}/notifiers', { path: { appId: await ctx.app(options.app) }, body });
      // A webhook given no --secret gets one from Herald, in this answer only.
      ctx.out.result({ notifier, ...(secret ? { secret } : {}) }, () => {
        ctx.out.line(
          `Added notifier ${ctx.out.colour('bold', notifier.id)} (${notifier.name}, ${reaches(notifier)}${grouped(notifier)}${digested(notifier)}${failsOver(notifier)}).`,
        );
        if (secret) ctx.out.line(`Signing secret, shown this once: ${ctx.out.colour('bold', secret)}`);
      });
    });

  escalationOptions(
    digestOptions(
      groupingOptions(scoped(notifiers.command('edit <id>').description('change a notifier (a merge patch: what you leave out is kept)'))),
    ),
  )
    .option('--no-failover', 'fail over no more')
    .option('--name <name>', 'a new name')
    .option('--enable', 'send again')
    .option('--disable', 'stop sending')
    .option('--events <selectors>', 'the events it wants (replaces the list)', listOption)
    .option('--min-severity <severity>', 'info, warning or critical')
    .option('--target <json>', 'a new target: JSON or @file.json')
    .option('--rate <perSecond>', 'send at most this many a second to its destination', Number)
    .option('--burst <n>', 'with --rate: how many may go at once after a quiet spell (default 1)', Number)
    .option('--no-rate', "the provider's published rate again (a webhook: not paced)")
    .option('--no-grouping', 'send each event on its own again')
    .option('--no-digest-send-first', "digest a window's first event too")
    .option('--no-digest', 'send each event on its own again, not digested')
    .option('--patch <json>', 'any other fields, as a JSON merge patch: JSON or @file.json')
    .addHelpText(
      'after',
      '\nExamples:\n  $ herald notifiers edit ntf_01kbx... --app shop --disable\n  $ herald notifiers edit ntf_01kbx... --app shop --rate 1 --burst 3\n  $ herald notifiers edit ntf_01kbx... --app shop --group-by data.cluster --group-by check --group-interval 10m\n  $ herald notifiers edit ntf_01kbx... --app shop --digest-window 1h --digest-max 50\n  $ herald notifiers edit ntf_01kbp... --app shop --escalate 0:notifier=ntf_01kba... --escalate 5m:notifier=ntf_01kbb... (the steps replace the old ones)\n  $ herald notifiers edit ntf_01kbx... --app shop --failover-to notifier=ntf_01kbm... --failover-after 5m',
    )
    .action(async (id: string, options: Scope & EditOptions, command: Command) => {
      const ctx = contextOf(command);
      if (options.enable && options.disable) throw new UsageError('--enable or --disable, not both');
      const grouping = groupingOf(options);
      const digest = digestOf(options, true);
      const escalation = escalationOf(options);
      const failover = failoverOf(options);
      const body = {
        ...(options.patch ? objectOption(options.patch, '--patch') : {}),
        ...(options.name ? { name: options.name } : {}),
        ...(options.enable ? { enabled: true } : options.disable ? { enabled: false } : {}),
        ...(options.events ? { events: options.events } : {}),
        ...(options.minSeverity ? { minSeverity: options.minSeverity } : {}),
        ...(options.target ? { target: objectOption(options.target, '--target') } : {}),
        ...(options.rate === false ? { rate: null } : rateOf(options) ? { rate: rateOf(options) } : {}),
        ...(grouping !== undefined ? { grouping } : {}),
        ...(digest !== undefined ? { digest } : {}),
        // The steps replace the old ones (a list in a merge patch does); a --repeat left out is kept.
        ...(escalation ? { escalation } : {}),
        ...(failover !== undefined ? { failover } : {}),
      } as NotifierPatch;
      if (Object.keys(body).length === 0)
        throw new UsageError(
          'nothing to change: --name, --enable, --disable, --events, --min-severity, --target, --rate, --group-*, --no-grouping, --digest-*, --no-digest, --escalate, --failover-*, --no-failover or --patch',
        );
      const { notifier } = options.global
        ? await ctx.api.patch('/v1/notifiers/{id}', { path: { id }, body })
        : await ctx.api.patch('/v1/apps/{appId}/notifiers/{id}', { path: { appId: await ctx.app(options.app), id }, body });
      ctx.out.result({ notifier }, () =>
        ctx.out.line(
          `Changed notifier ${notifier.id}: ${notifier.enabled ? 'enabled' : 'disabled'}, ${reaches(notifier)}${grouped(notifier)}${digested(notifier)}${failsOver(notifier)}.`,
        ),
      );
    });

  scoped(notifiers.command('test <id>').description('send a test notification through the real pipeline and show how it went'))
    .addHelpText('after', '\nExample:\n  $ herald notifiers test ntf_01kbx... --app shop')
    .action(async (id: string, options: Scope, command: Command) => {
      const ctx = contextOf(command);
      const { delivery } = options.global
        ? await ctx.api.post('/v1/notifiers/{id}/test', { path: { id } })
        : await ctx.api.post('/v1/apps/{appId}/notifiers/{id}/test', { path: { appId: await ctx.app(options.app), id } });
      const last = delivery.attempts.at(-1);
      ctx.out.result({ delivery }, () =>
        ctx.out.line(
          `Test ${ctx.out.colour(delivery.status === 'sent' ? 'green' : 'red', delivery.status)} → ${delivery.recipient}` +
            (last ? ` (${[last.statusCode, last.error, `${last.latencyMs} ms`].filter(Boolean).join(', ')})` : '') +
            (delivery.reason ? `: ${delivery.reason}` : ''),
        ),
      );
      // Printed as it went; a test whose attempt failed is a failed command (exit 1).
      if (['failed', 'dead', 'retrying'].includes(delivery.status))
        throw new CommandFailed(`the test delivery ${delivery.id} ${delivery.status}`);
    });

  scoped(notifiers.command('rm <id>').description('delete a notifier'))
    .addHelpText('after', '\nExample:\n  $ herald notifiers rm ntf_01kbx... --app shop')
    .action(async (id: string, options: Scope, command: Command) => {
      const ctx = contextOf(command);
      if (options.global) await ctx.api.delete('/v1/notifiers/{id}', { path: { id } });
      else await ctx.api.delete('/v1/apps/{appId}/notifiers/{id}', { path: { appId: await ctx.app(options.app), id } });
      ctx.out.result({ deleted: id }, () => ctx.out.line(`Deleted notifier ${id}.`));
    });
}

interface AddOptions extends GroupingOptions, DigestOptions, EscalationOptions {
  name: string;
  channel?: string;
  contact?: string[];
  group?: string[];
  to?: string[];
  targetUrl?: string;
  secret?: string;
  target?: string;
  events?: string[];
  minSeverity?: string;
  rate?: number;
  burst?: number;
  test?: boolean;
}

interface EditOptions extends GroupingOptions, DigestOptions, EscalationOptions {
  name?: string;
  enable?: boolean;
  disable?: boolean;
  events?: string[];
  minSeverity?: string;
  target?: string;
  /** false: --no-rate. */
  rate?: number | false;
  burst?: number;
  patch?: string;
}

/** --rate and --burst as the API takes them (Herald checks the numbers: 400 naming rate.perSecond or rate.burst). */
function rateOf(options: { rate?: number | false; burst?: number }): { perSecond: number; burst?: number } | undefined {
  if (options.burst !== undefined && typeof options.rate !== 'number') throw new UsageError('--burst goes with --rate');
  return typeof options.rate === 'number'
    ? { perSecond: options.rate, ...(options.burst !== undefined ? { burst: options.burst } : {}) }
    : undefined;
}

/** The target from --target, with --to, --target-url and --secret laid over it. (--url is Herald's own.) */
function targetOf(options: AddOptions): Record<string, unknown> {
  const target = {
    ...(options.target ? objectOption(options.target, '--target') : {}),
    ...(options.to ? { to: options.to } : {}),
    ...(options.targetUrl ? { url: options.targetUrl } : {}),
    ...(options.secret ? { secret: options.secret } : {}),
  };
  if (Object.keys(target).length === 0) throw new UsageError('the target: --to, --target-url (and --secret), or --target JSON|@file.json');
  return target;
}

/** ", grouped by data.cluster, wait 30s, ...", for the line that says what was added or changed. */
const grouped = (n: Notifier): string => (n.grouping ? `, grouped ${groupingText(n.grouping)}` : '');

/** ", digest every 1h, max 50", for the same line. */
const digested = (n: Notifier): string => (n.digest ? `, digest ${digestText(n.digest)}` : '');

/** ", fails over to notifier=ntf_b, after 15m unsent", for the same line. */
const failsOver = (n: Notifier): string => (n.failover ? `, fails over to ${failoverText(n.failover)}` : '');

/** "slack → https://hooks.slack.com/…", "contacts → con_a, cgr_b", or "escalates 0s: notifier=ntf_a; 10m: notifier=ntf_b". */
const reaches = (n: Notifier): string =>
  n.channel ? `${n.channel} → ${summary(n)}` : n.escalation ? `escalates ${escalationText(n.escalation)}` : `contacts → ${summary(n)}`;

/** A target in a few words: its recipients or URL (already masked by Herald), the contacts and groups it names, or a policy's steps. */
function summary(n: Notifier): string {
  if (n.escalation) return escalationText(n.escalation);
  return n.target ? targetText(n.target) : [...(n.contacts ?? []), ...(n.groups ?? [])].join(', ');
}

function row(n: Notifier): Record<string, unknown> {
  return {
    id: n.id,
    name: n.name,
    channel: n.channel ?? (n.escalation ? 'escalates' : 'contacts'),
    target: summary(n),
    events: n.events.join(','),
    enabled: n.enabled ? 'yes' : n.disabledReason ? `no (${n.disabledReason})` : 'no',
    grouping: groupingText(n.grouping),
    digest: digestText(n.digest),
    updated: relativeTime(n.updatedAt),
  };
}
