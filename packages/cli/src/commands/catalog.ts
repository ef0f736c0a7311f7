import type { Command } from 'commander';
import { contextOf } from '../context.js';

/** `herald catalog`: the event types Herald knows, with category, severity and whether they are critical. */
export function catalogCommand(program: Command): void {
  program
    .command('catalog')
    .description('the event types Herald knows (any key)')
    .option('--category <name>', 'only this category (deployment, crash, monitoring...)')
    .addHelpText('after', '\nExample:\n  $ herald catalog --category monitoring')
    .action(async (options: { category?: string }, command: Command) => {
      const ctx = contextOf(command);
      const { eventTypes } = await ctx.api.get('/v1/event-types', {});
      const types = eventTypes.filter((t) => !options.category || t.category === options.category.replace(/^@/, ''));
      ctx.out.result({ eventTypes: types }, () =>
        ctx.out.table(
          types.map((t) => ({ ...t, critical: t.critical ? 'critical' : '' })),
          ['type', 'category', 'severity', 'critical', 'displayName'],
        ),
      );
    });
}
