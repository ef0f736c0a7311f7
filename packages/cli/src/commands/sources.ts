import type { Command } from 'commander';
import { HeraldSources, type CreatedSource, type Source, type SourceInput } from '@herald/client';
import { contextOf, type Context } from '../context.js';
import { UsageError } from '../failure.js';
import { relativeTime } from '../output.js';

/** Where each tool takes the URL and the secret (README: "Sending alerts from your tools"). */
const PASTE: Record<Source['kind'], string> = {
  alertmanager: 'Alertmanager: a webhook_configs url, with the secret as http_config.authorization.credentials (type Bearer).',
  grafana: 'Grafana: a Webhook contact point with this URL, Authorization header scheme Bearer and the secret as its credentials.',
  sns: 'Amazon SNS: subscribe the topic with protocol HTTPS and this URL as the endpoint; Herald confirms the subscription itself.',
  github: 'GitHub: a webhook with this Payload URL, content type application/json, and the secret as its Secret.',
  json: 'Your tool: POST JSON to this URL with Authorization: Bearer <secret>.',
};

/** `herald sources ls|add|show|rotate|rm`: an app's inbound sources (Alertmanager, Grafana, SNS, GitHub, JSON), admin key. */
export function sourceCommands(program: Command): void {
  const sources = program
    .command('sources')
    .description("an app's inbound sources: URLs that Alertmanager, Grafana, SNS, GitHub or any JSON tool post to (admin key)");
  const forApp = (command: Command) => command.option('--app <id>', 'the app (default: HERALD_APP)');
  // Commander calls an action with the positional arguments, then the options, then the command.
  const run =
    <O extends { app?: string }>(action: (ctx: Context, api: HeraldSources, appId: string, options: O, id: string) => Promise<void>) =>
    async (...args: unknown[]) => {
      const ctx = contextOf(args.at(-1) as Command);
      const options = args.at(-2) as O;
      await action(ctx, new HeraldSources(ctx.api), await ctx.app(options.app), options, args[0] as string);
    };

  forApp(sources.command('ls').description('list the sources'))
    .addHelpText('after', '\nExample:\n  $ herald sources ls --app shop')
    .action(
      run(async (ctx, api, appId) => {
        const list = await api.list(appId);
        ctx.out.result({ sources: list }, () => ctx.out.table(list.map(row), ['id', 'kind', 'name', 'url', 'created', 'rotation']));
      }),
    );

  forApp(sources.command('add').description('add a source: its URL and its secret are shown once'))
    .requiredOption('--kind <kind>', 'alertmanager, grafana, sns, github or json')
    .requiredOption('--name <name>', 'its name')
    .option(
      '--severity <label=severity>',
      'alertmanager, grafana: a severity label value and its severity (P1=critical; * for others); repeat',
      pairOption,
      {},
    )
    .option(
      '--topic <arn>',
      "sns: a topic ARN it takes (at least one: SNS signs for any account's topic); repeat",
      (v: string, list: string[] = []) => [...list, v],
    )
    .option('--insufficient-data <as>', "sns: a CloudWatch alarm's INSUFFICIENT_DATA as a warning (default), a problem, or ignore")
    .option(
      '--map <field=value>',
      "json: an event field from a JSON path or a fixed =value (type='=deploy.done', title='$.job.name'); repeat",
      pairOption,
      {},
    )
    .addHelpText(
      'after',
      "\nExamples:\n  $ herald sources add --app shop --kind alertmanager --name Prod --severity P1=critical --severity P2=warning\n  $ herald sources add --app shop --kind json --name CI --map type='=deploy.done' --map title='$.job.name'",
    )
    .action(
      run(async (ctx, api, appId, options: AddOptions) => {
        const created = await api.create(appId, inputOf(options));
        ctx.out.result(created, () => {
          ctx.out.line(`Added source ${ctx.out.colour('bold', created.source.id)} (${created.source.name}, ${created.source.kind}).`);
          printReach(ctx, created);
        });
      }),
    );

  forApp(sources.command('show <id>').description('show a source: its URL, settings and rotation'))
    .addHelpText('after', '\nExample:\n  $ herald sources show src_01kbx... --app shop')
    .action(
      run(async (ctx, api, appId, _options, id) => {
        const source = await api.get(appId, id);
        ctx.out.result({ source }, () =>
          ctx.out.fields([
            ['id', source.id],
            ['kind', source.kind],
            ['name', source.name],
            ['url', source.url],
            ['created', `${source.createdAt} (${relativeTime(source.createdAt)})`],
            ...Object.entries(source.settings).map(([k, v]): [string, unknown] => [k, v]),
            ['previous secret', source.previousSecretUntil ? `taken until ${source.previousSecretUntil}` : undefined],
          ]),
        );
      }),
    );

  forApp(sources.command('rotate <id>').description('a new secret, shown once; the previous one is taken for 24 hours more'))
    .addHelpText('after', '\nExample:\n  $ herald sources rotate src_01kbx... --app shop')
    .action(
      run(async (ctx, api, appId, _options, id) => {
        const rotated = await api.rotate(appId, id);
        ctx.out.result(rotated, () => {
          if (!rotated.secret) return ctx.out.line(`${rotated.source.name} has no secret to rotate: SNS signs its messages.`);
          printReach(ctx, rotated);
          ctx.out.line(
            `The previous secret is taken until ${rotated.source.previousSecretUntil} (${relativeTime(rotated.source.previousSecretUntil)}).`,
          );
        });
      }),
    );

  forApp(sources.command('rm <id>').description('delete a source: its URL refuses everything from then on'))
    .addHelpText('after', '\nExample:\n  $ herald sources rm src_01kbx... --app shop')
    .action(
      run(async (ctx, api, appId, _options, id) => {
        await api.delete(appId, id);
        ctx.out.result({ deleted: id }, () => ctx.out.line(`Deleted source ${id}.`));
      }),
    );
}

interface AddOptions {
  app?: string;
  kind: string;
  name: string;
  severity: Record<string, string>;
  topic?: string[];
  insufficientData?: string;
  map: Record<string, string>;
}

/** `--severity P1=critical`, `--map title=$.job.name`: repeated, split at the first =, so that a value may start with = (a fixed value). */
function pairOption(value: string, previous: Record<string, string>): Record<string, string> {
  const at = value.indexOf('=');
  if (at < 1) throw new UsageError(`${value}: expected name=value`);
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

/** The body from the flags; Herald checks the kind and which settings it takes (400 with the field at fault). */
function inputOf(options: AddOptions): SourceInput {
  return {
    kind: options.kind,
    name: options.name,
    ...(Object.keys(options.severity).length ? { severities: options.severity } : {}),
    ...(options.topic ? { topicArns: options.topic } : {}),
    ...(options.insufficientData ? { insufficientData: options.insufficientData } : {}),
    ...(Object.keys(options.map).length ? { mapping: options.map } : {}),
  } as SourceInput;
}

/** The URL, the secret this once, and where the tool takes them. */
function printReach(ctx: Context, { source, secret }: CreatedSource): void {
  ctx.out.line(`URL: ${source.url}`);
  if (secret) ctx.out.line(`Secret, shown this once: ${ctx.out.colour('bold', secret)}`);
  ctx.out.line(ctx.out.colour('dim', PASTE[source.kind]));
}

function row(s: Source): Record<string, unknown> {
  return {
    id: s.id,
    kind: s.kind,
    name: s.name,
    url: s.url,
    created: relativeTime(s.createdAt),
    rotation: s.previousSecretUntil ? `old secret ends ${relativeTime(s.previousSecretUntil)}` : '',
  };
}
