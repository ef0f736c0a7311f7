import type { Command } from 'commander';
import { contextOf, objectOption } from '../context.js';
import { UsageError } from '../failure.js';

const PARTS = ['email', 'sms', 'slack', 'chat'] as const;

/** `herald preview TYPE`: every part of an event's message as Herald would send it, with the placeholders. */
export function previewCommand(program: Command): void {
  program
    .command('preview <type>')
    .description("an event's message as it would go out, with its placeholders (admin key)")
    .option('--channel <part>', `only this message: ${PARTS.join(', ')} (chat: every chat, push and incident channel)`)
    .option('--locale <locale>', 'en, de or fr')
    .option('--app <id>', 'the app whose name and overrides apply')
    .option('--notifier <id>', 'a notifier whose overrides apply (with --app)')
    .option('--title <title>', "the event's title")
    .option('--message <text>', "the event's message")
    .option('--data <json>', "the event's data: JSON or @file.json")
    .option('--placeholders', 'also list every placeholder and its value')
    .addHelpText(
      'after',
      '\nExample:\n  $ herald preview app_deployed --locale de --channel email --app shop --data \'{"build":{"commit":"ac77098"}}\'',
    )
    .action(async (type: string, options: PreviewOptions, command: Command) => {
      const ctx = contextOf(command);
      const part = options.channel as (typeof PARTS)[number] | undefined;
      if (part && !PARTS.includes(part)) throw new UsageError(`--channel: one of ${PARTS.join(', ')}`);
      const appId = options.app ?? process.env['HERALD_APP'];
      const answer = await ctx.api.post('/v1/preview', {
        body: {
          event: {
            type,
            ...(options.title ? { title: options.title } : {}),
            ...(options.message ? { message: options.message } : {}),
            ...(options.data ? { data: objectOption(options.data, '--data') } : {}),
          },
          ...(appId ? { appId } : {}),
          ...(options.notifier ? { notifierId: options.notifier } : {}),
          ...(options.locale ? { locale: options.locale as 'en' } : {}), // Herald checks it
        },
      });
      const parts = part ? { [part]: answer.parts[part] } : answer.parts;
      ctx.out.result(part ? { locale: answer.locale, parts, placeholders: answer.placeholders } : answer, () => {
        for (const [name, fields] of Object.entries(parts)) {
          for (const [field, value] of Object.entries(fields as Record<string, unknown>)) {
            if (field === 'html' || field === 'blocks') continue; // markup: --json shows it
            ctx.out.line(ctx.out.colour('bold', `${name}.${field}`));
            ctx.out.line(String(value).replace(/^/gm, '  '));
          }
        }
        if (options.placeholders) {
          ctx.out.line();
          ctx.out.fields(Object.entries(answer.placeholders).map(([k, v]) => [k, v]));
        }
      });
    });
}

interface PreviewOptions {
  channel?: string;
  locale?: string;
  app?: string;
  notifier?: string;
  title?: string;
  message?: string;
  data?: string;
  placeholders?: boolean;
}
