import type { Command } from 'commander';
import { HeraldContacts, INSTALLATION_WIDE, type Contact, type ContactGroup, type ContactInput } from '@herald/client';
import { contextOf, jsonOption, listOption, objectOption, repeatOption, type Context } from '../context.js';
import { UsageError } from '../failure.js';
import { targetText } from '../output.js';

interface Scope {
  app?: string;
  global?: boolean;
}

type Channel = ContactInput['channels'][number];

/**
 * `herald contacts ls|add|show|rm` and `herald contact-groups ls|add|rm`: the people notifiers
 * reach (`herald notifiers add --contact ID --group ID`), an app's (--app; the admin key or the
 * app's own) or installation-wide ones (--global, admin key).
 */
export function contactCommands(program: Command): void {
  const contacts = program
    .command('contacts')
    .alias('contact')
    .description(
      "people notifiers reach, each on several channels, in their language and time zone: an app's, or installation-wide (--global)",
    );
  const groups = program.command('contact-groups').description('groups of contacts a notifier reaches together');
  const scoped = (command: Command) =>
    command
      .option('--app <id>', 'the app (default: HERALD_APP)')
      .option('--global', "installation-wide: every app's notifiers may name it");
  const run =
    <A extends unknown[], O extends Scope>(
      action: (ctx: Context, api: HeraldContacts, appId: string, options: O, ...args: A) => Promise<void>,
    ) =>
    async (...args: unknown[]) => {
      const ctx = contextOf(args.at(-1) as Command);
      const options = args.at(-2) as O;
      if (options.global && options.app) throw new UsageError('--app or --global, not both');
      const appId = options.global ? INSTALLATION_WIDE : await ctx.app(options.app);
      await action(ctx, new HeraldContacts(ctx.api), appId, options, ...(args.slice(0, -2) as A));
    };

  scoped(contacts.command('ls').description('list the contacts'))
    .addHelpText('after', '\nExamples:\n  $ herald contacts ls --app shop\n  $ herald contacts ls --global --json')
    .action(
      run(async (ctx, api, appId) => {
        const list = await api.list(appId);
        ctx.out.result({ contacts: list }, () => ctx.out.table(list.map(row), ['id', 'name', 'channels', 'locale', 'time zone']));
      }),
    );

  scoped(contacts.command('add').description('add a contact: a name and its channels'))
    .requiredOption('--name <name>', 'its name')
    .option('--email <address>', 'an e-mail address; repeat or comma-separate', listOption)
    .option('--sms <number>', 'an E.164 number to text; repeat or comma-separate', listOption)
    .option('--sms-min-severity <severity>', 'text only events from this severity up (info, warning, critical)')
    .option(
      '--channel <json>',
      'any channel: {"channel", "target", "minSeverity"?} as JSON or @file.json (README: Channels); repeat',
      repeatOption,
    )
    .option('--locale <locale>', 'the language of its messages: en, de or fr')
    .option('--time-zone <zone>', 'the time zone of the times in its messages, e.g. Europe/Berlin')
    .option('--quiet-hours <json>', "its own quiet hours, as a notifier's: JSON or @file.json")
    .addHelpText(
      'after',
      '\nExamples:\n  $ herald contacts add --app shop --name Anna --email anna@shop.example --sms +4915112345678 --sms-min-severity critical --locale de --time-zone Europe/Berlin\n  $ herald contacts add --global --name "Night desk" --channel \'{"channel":"slack","target":{"url":"https://hooks.slack.com/services/..."}}\'',
    )
    .action(
      run(async (ctx, api, appId, options: AddOptions) => {
        const contact = await api.create(appId, {
          name: options.name,
          channels: channelsOf(options),
          ...(options.locale ? { locale: options.locale as ContactInput['locale'] } : {}),
          ...(options.timeZone ? { timeZone: options.timeZone } : {}),
          ...(options.quietHours ? { quietHours: objectOption(options.quietHours, '--quiet-hours') as ContactInput['quietHours'] } : {}),
        });
        const { secrets, ...added } = contact;
        ctx.out.result({ contact: added, ...(secrets ? { secrets } : {}) }, () => {
          ctx.out.line(`Added contact ${ctx.out.colour('bold', added.id)} (${added.name}: ${channelText(added)}).`);
          for (const { index, secret } of secrets ?? [])
            ctx.out.line(
              `Signing secret of channel ${index + 1} (${added.channels[index]?.channel}), shown this once: ${ctx.out.colour('bold', secret)}`,
            );
        });
      }),
    );

  scoped(contacts.command('show <id>').description('show a contact: its channels (secrets masked), language, time zone and quiet hours'))
    .addHelpText('after', '\nExample:\n  $ herald contacts show con_01kbx... --app shop')
    .action(
      run(async (ctx, api, appId, _options, id: string) => {
        const c = await api.get(appId, id);
        ctx.out.result({ contact: c }, () =>
          ctx.out.fields([
            ['id', c.id],
            ['name', c.name],
            ...c.channels.map((ch, i): [string, unknown] => [
              i ? '' : 'channels',
              `${ch.channel} → ${targetText(ch.target)}${ch.minSeverity ? ` (${ch.minSeverity} and up)` : ''}`,
            ]),
            ['locale', c.locale ?? 'the notifier’s'],
            ['time zone', c.timeZone ?? 'the notifier’s'],
            ['quiet hours', c.quietHours ? JSON.stringify(c.quietHours) : 'none of its own'],
            ['updated', c.updatedAt],
          ]),
        );
      }),
    );

  scoped(contacts.command('rm <id>').description('delete a contact (refused while a group or a notifier names it)'))
    .addHelpText('after', '\nExample:\n  $ herald contacts rm con_01kbx... --app shop')
    .action(
      run(async (ctx, api, appId, _options, id: string) => {
        await api.delete(appId, id);
        ctx.out.result({ deleted: id }, () => ctx.out.line(`Deleted contact ${id}.`));
      }),
    );

  scoped(groups.command('ls').description('list the contact groups'))
    .addHelpText('after', '\nExample:\n  $ herald contact-groups ls --app shop')
    .action(
      run(async (ctx, api, appId) => {
        const list = await api.listGroups(appId);
        ctx.out.result({ groups: list }, () => ctx.out.table(list.map(groupRow), ['id', 'name', 'members']));
      }),
    );

  scoped(groups.command('add').description('add a group of contacts'))
    .requiredOption('--name <name>', 'its name')
    .requiredOption('--member <id>', 'a contact id (the app’s or installation-wide); repeat or comma-separate', listOption)
    .addHelpText('after', '\nExample:\n  $ herald contact-groups add --app shop --name "On call" --member con_01kbx...,con_01kby...')
    .action(
      run(async (ctx, api, appId, options: Scope & { name: string; member: string[] }) => {
        const group = await api.createGroup(appId, { name: options.name, members: options.member });
        ctx.out.result({ group }, () =>
          ctx.out.line(`Added contact group ${ctx.out.colour('bold', group.id)} (${group.name}: ${group.members.length} members).`),
        );
      }),
    );

  scoped(groups.command('rm <id>').description('delete a contact group (refused while a notifier names it)'))
    .addHelpText('after', '\nExample:\n  $ herald contact-groups rm cgr_01kbx... --app shop')
    .action(
      run(async (ctx, api, appId, _options, id: string) => {
        await api.deleteGroup(appId, id);
        ctx.out.result({ deleted: id }, () => ctx.out.line(`Deleted contact group ${id}.`));
      }),
    );
}

interface AddOptions extends Scope {
  name: string;
  email?: string[];
  sms?: string[];
  smsMinSeverity?: string;
  channel?: string[];
  locale?: string;
  timeZone?: string;
  quietHours?: string;
}

/** --email and --sms as a channel each, then each --channel as given. */
function channelsOf(options: AddOptions): Channel[] {
  const channels: Channel[] = [
    ...(options.email ? [{ channel: 'email', target: { to: options.email } } as Channel] : []),
    ...(options.sms
      ? [
          {
            channel: 'sms',
            target: { to: options.sms },
            ...(options.smsMinSeverity ? { minSeverity: options.smsMinSeverity } : {}),
          } as Channel,
        ]
      : []),
    ...(options.channel ?? []).map((json) => jsonOption(json, '--channel') as Channel),
  ];
  if (channels.length === 0) throw new UsageError('no channel: --email, --sms, or --channel JSON|@file.json');
  return channels;
}

const channelText = (c: Contact) => c.channels.map((ch) => `${ch.channel}${ch.minSeverity ? ` (${ch.minSeverity}+)` : ''}`).join(', ');

const row = (c: Contact) => ({ id: c.id, name: c.name, channels: channelText(c), locale: c.locale ?? '', 'time zone': c.timeZone ?? '' });

const groupRow = (g: ContactGroup) => ({ id: g.id, name: g.name, members: g.members.join(', ') });
