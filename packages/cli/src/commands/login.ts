import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { apiAt, contextOf, outputOf, type GlobalOptions } from '../context.js';
import { UsageError } from '../failure.js';
import { profilePath, saveProfile } from '../profile.js';

/** `herald login` saves a URL and key as a profile (checked first); `herald whoami` says what a key may do. */
export function loginCommands(program: Command): void {
  program
    .command('login')
    .description('check a key and save it with the URL as a profile (a file only you can read)')
    .addHelpText(
      'after',
      '\nThe key comes from --key, HERALD_KEY, or standard input (so it stays out of your shell history).\n\nExample:\n  $ herald login --url http://127.0.0.1:3000 < .herald/admin-key',
    )
    .action(async (_options: object, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions>();
      const out = outputOf(command);
      const url = options.url ?? process.env['HERALD_URL'];
      if (!url) throw new UsageError("Herald's URL: --url or HERALD_URL");
      const key = (options.key ?? process.env['HERALD_KEY'] ?? (process.stdin.isTTY ? '' : readFileSync(0, 'utf8'))).trim();
      if (!key) throw new UsageError('the key: --key, HERALD_KEY, or on standard input');
      const who = await apiAt(url, key).get('/v1/whoami', {});
      saveProfile(options.profile, { url, key });
      out.result({ profile: options.profile, url, ...who, path: profilePath() }, () =>
        out.line(
          `Logged in to ${url} with ${who.scope === 'admin' ? 'the admin key' : `an ingest key of ${who.appId}`}: profile ${options.profile} saved in ${profilePath()}.`,
        ),
      );
    });

  program
    .command('whoami')
    .description("the key's scope, and the app of an ingest key")
    .addHelpText('after', '\nExample:\n  $ herald whoami')
    .action(async (_options: object, command: Command) => {
      const ctx = contextOf(command);
      const who = await ctx.identity();
      ctx.out.result(who, () => ctx.out.line(`${who.scope === 'admin' ? 'the admin key' : `an ingest key of ${who.appId}`} at ${ctx.url}`));
    });
}
