import { Command, CommanderError, Option } from 'commander';
import { appsCommands } from './commands/apps.js';
import { catalogCommand } from './commands/catalog.js';
import { contactCommands } from './commands/contacts.js';
import { deliveryCommands } from './commands/deliveries.js';
import { dlqCommands } from './commands/dlq.js';
import { incidentCommands } from './commands/incidents.js';
import { loginCommands } from './commands/login.js';
import { notifierCommands } from './commands/notifiers.js';
import { previewCommand } from './commands/preview.js';
import { sendCommand } from './commands/send.js';
import { silenceCommands } from './commands/silences.js';
import { sourceCommands } from './commands/sources.js';
import { verifyCommand } from './commands/verify.js';
import { VERSION } from './context.js';
import { describeFailure, EXIT, UsageError } from './failure.js';

/**
 * `herald`: Herald from a terminal or a script. Built with commander (the most used Node CLI
 * library: subcommands, generated --help, typed options, no dependencies of its own). Exit
 * codes are decided here only: 0 done, 1 Herald refused (its message and the field at fault)
 * or could not be reached, 2 the command was used wrongly.
 */
const program = new Command('herald')
  .description("Herald's command line: apps, notifiers, contacts, sources, silences, incidents, events, deliveries, dead letters")
  .version(VERSION)
  .addOption(new Option('--url <url>', "Herald's URL").env('HERALD_URL'))
  .addOption(new Option('--key <key>', 'an API key (admin, or an ingest key)').env('HERALD_KEY'))
  .option('--profile <name>', 'the profile `herald login` saved', 'default')
  .option('--json', 'print JSON, for scripts', false)
  .option('--no-color', 'no colours (also NO_COLOR, or output that is not a terminal)')
  .showHelpAfterError('(add --help for usage)')
  .exitOverride()
  .addHelpText(
    'after',
    '\nCommands about one app take --app ID (default: HERALD_APP, else the app of an ingest key).\n\nExample:\n  $ export HERALD_URL=http://127.0.0.1:3000 HERALD_KEY=$(cat .herald/admin-key)\n  $ herald apps ls',
  );

// `herald catalog | head`: a reader that stops early is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(EXIT.ok);
  throw error;
});

loginCommands(program);
appsCommands(program);
notifierCommands(program);
contactCommands(program);
sourceCommands(program);
silenceCommands(program);
incidentCommands(program);
sendCommand(program);
deliveryCommands(program);
dlqCommands(program);
previewCommand(program);
catalogCommand(program);
verifyCommand(program);

// Every subcommand answers usage errors the same way (exit 2), and reads the global options after its own.
// With --json, commander's own (a missing option, a choice it does not know) come as the CLI's: JSON on stderr.
const jsonArgument = process.argv.includes('--json');
for (const command of [program, ...program.commands.flatMap((c) => [c, ...c.commands])]) {
  command.exitOverride().showHelpAfterError(!jsonArgument && '(add --help for usage)');
  if (jsonArgument)
    command.configureOutput({
      outputError: (text, write) => write(`${JSON.stringify(describeFailure(new UsageError(text.trim().replace(/^error: /, ''))).json)}\n`),
    });
}

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof CommanderError) {
    // --help and --version are not failures; commander has printed the usage error already.
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else {
    const failure = describeFailure(error);
    const json = program.opts<{ json: boolean }>().json || process.argv.includes('--json');
    process.stderr.write(json ? `${JSON.stringify(failure.json)}\n` : `${failure.lines.join('\n')}\n`);
    process.exitCode = failure.code;
  }
}
