import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { outputOf, readInput } from '../context.js';
import { CommandFailed, UsageError } from '../failure.js';

/**
 * `herald verify --secret S < request.json`: does a request carry a valid Standard Webhooks
 * signature? Checked by the reference library (standardwebhooks), as a receiver should.
 */
export function verifyCommand(program: Command): void {
  program
    .command('verify')
    .description("check a webhook request's Standard Webhooks signature: the request as JSON on standard input")
    .option('--secret <whsec>', "the notifier's signing secret (default: HERALD_WEBHOOK_SECRET)")
    .option('--file <path>', 'read the request from this file instead of standard input')
    .addHelpText(
      'after',
      '\nThe request: {"headers": {"webhook-id": ..., "webhook-timestamp": ..., "webhook-signature": ...}, "body": ...},\n' +
        'the body as the exact text received (or as JSON, written back compactly, as Herald sends it).\n' +
        'A signature older than 5 minutes is refused (a replay).\n\nExample:\n  $ herald verify --secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw < request.json',
    )
    .action((options: { secret?: string; file?: string }, command: Command) => {
      const out = outputOf(command);
      const secret = options.secret ?? process.env['HERALD_WEBHOOK_SECRET'];
      if (!secret) throw new UsageError('the secret: --secret whsec_... or HERALD_WEBHOOK_SECRET');
      const { headers, body } = requestOf(options.file ? readInput(options.file, '--file') : readFileSync(0, 'utf8'));
      const id = headers['webhook-id'];
      try {
        new Webhook(secret).verify(body, headers);
      } catch (error) {
        if (!(error instanceof WebhookVerificationError)) throw new UsageError(`the secret: ${(error as Error).message}`);
        throw new CommandFailed(`invalid: ${error.message}`, { valid: false, id, reason: error.message });
      }
      out.result({ valid: true, id, timestamp: Number(headers['webhook-timestamp']) }, () =>
        out.line(`${out.colour('green', 'valid')}: ${id} signed at ${new Date(Number(headers['webhook-timestamp']) * 1000).toISOString()}`),
      );
    });
}

function requestOf(text: string): { headers: Record<string, string>; body: string } {
  let request: { headers?: Record<string, unknown>; body?: unknown };
  try {
    request = JSON.parse(text) as typeof request;
  } catch (error) {
    throw new UsageError(`the request is not JSON: ${(error as Error).message}`);
  }
  if (!request?.headers || request.body === undefined) throw new UsageError('the request needs "headers" and "body"');
  // Header names are case-insensitive; the library reads them in lower case.
  const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
  return { headers, body: typeof request.body === 'string' ? request.body : JSON.stringify(request.body) };
}
