import type { Command } from 'commander';
import type { components } from '@herald/client';
import { contextOf, limitOption, objectOption } from '../context.js';
import { relativeTime } from '../output.js';

/** `herald apps ls|create|show|rm`: the apps, with the admin key. */
export function appsCommands(program: Command): void {
  const apps = program.command('apps').description('list, create, show and delete apps (admin key)');

  apps
    .command('ls')
    .description('list the apps')
    .option('--limit <n>', 'at most this many (1 to 100)', '100')
    .option('--cursor <cursor>', 'the next page: the --cursor the previous one printed')
    .addHelpText('after', '\nExample:\n  $ herald apps ls')
    .action(async (options: { limit: string; cursor?: string }, command: Command) => {
      const limit = limitOption(options.limit);
      const ctx = contextOf(command);
      const page = await ctx.api.get('/v1/apps', { query: { limit, ...(options.cursor ? { cursor: options.cursor } : {}) } });
      ctx.out.result(page, () => {
        ctx.out.table(
          page.apps.map((a) => ({ id: a.id, name: a.name, owner: a.owner.email, created: relativeTime(a.createdAt) })),
          ['id', 'name', 'owner', 'created'],
        );
        ctx.out.more(page.apps.length, page.nextCursor);
      });
    });

  apps
    .command('create <id>')
    .description('create an app and its first ingest key (shown once)')
    .requiredOption('--name <name>', 'its name, as messages show it')
    .requiredOption('--owner <email>', "the owner's address (the default notifier mails it)")
    .option('--metadata <json>', 'host, website, url...: JSON or @file.json')
    .addHelpText('after', '\nExample:\n  $ herald apps create shop --name Shop --owner owner@example.com')
    .action(async (id: string, options: { name: string; owner: string; metadata?: string }, command: Command) => {
      const ctx = contextOf(command);
      const body: components['schemas']['AppCreate'] = { id, name: options.name, owner: { email: options.owner } };
      // Herald checks the metadata's fields (400 with the one at fault).
      if (options.metadata) body.metadata = objectOption(options.metadata, '--metadata') as Record<string, string>;
      const created = await ctx.api.post('/v1/apps', { body });
      ctx.out.result(created, () => {
        ctx.out.line(
          `Created app ${ctx.out.colour('bold', created.app.id)} (${created.app.name}), with a default notifier mailing ${created.app.owner.email}.`,
        );
        ctx.out.line(`Its ingest key, shown this once: ${created.apiKey}`);
      });
    });

  apps
    .command('show <id>')
    .description('show an app and its keys')
    .addHelpText('after', '\nExample:\n  $ herald apps show shop')
    .action(async (id: string, _options: object, command: Command) => {
      const ctx = contextOf(command);
      const [{ app }, { keys }] = await Promise.all([
        ctx.api.get('/v1/apps/{appId}', { path: { appId: id } }),
        ctx.api.get('/v1/apps/{appId}/keys', { path: { appId: id } }),
      ]);
      ctx.out.result({ app, keys }, () => {
        ctx.out.fields([
          ['id', app.id],
          ['name', app.name],
          ['owner', app.owner.email],
          ['collaborators', app.collaborators],
          ['metadata', app.metadata],
          ['created', `${app.createdAt} (${relativeTime(app.createdAt)})`],
        ]);
        ctx.out.line();
        ctx.out.table(
          keys.map((k) => ({
            key: k.id,
            prefix: k.prefix,
            created: relativeTime(k.createdAt),
            revoked: k.revokedAt ? relativeTime(k.revokedAt) : '',
          })),
          ['key', 'prefix', 'created', 'revoked'],
        );
      });
    });

  apps
    .command('rm <id>')
    .description('delete an app, its notifiers and keys')
    .addHelpText('after', '\nExample:\n  $ herald apps rm shop')
    .action(async (id: string, _options: object, command: Command) => {
      const ctx = contextOf(command);
      await ctx.api.delete('/v1/apps/{appId}', { path: { appId: id } });
      ctx.out.result({ deleted: id }, () => ctx.out.line(`Deleted app ${id}.`));
    });
}
