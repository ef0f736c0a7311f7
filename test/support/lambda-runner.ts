import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { lambdaContext } from '../../infra/local/lambda-context.js';

/**
 * One function instance, as Lambda runs one: a child process that imports a bundle's
 * handler once (its cold start) and invokes it for each event it is given, one at a time.
 * Events come as JSON lines on stdin; each answer goes out as a JSON line on fd 3, so that
 * stdout and stderr hold nothing but what the function itself writes (its log lines), each
 * invocation's closed on both by a line `@@end <request id>`. Run by test/support/lambda-function.ts.
 */
const [bundle, functionName] = process.argv.slice(2) as [string, string];
const answers = createWriteStream('', { fd: 3 });
const { handler } = (await import(pathToFileURL(bundle).href)) as { handler: (event: unknown, context: unknown) => Promise<unknown> };
answers.write(`${JSON.stringify({ ready: true })}\n`);

for await (const line of createInterface({ input: process.stdin })) {
  const context = lambdaContext(functionName);
  let answer: { result?: unknown; error?: string };
  try {
    answer = { result: await handler(JSON.parse(line), context) };
  } catch (err) {
    answer = { error: String((err as Error)?.stack ?? err) };
  }
  process.stdout.write(`@@end ${context.awsRequestId}\n`);
  process.stderr.write(`@@end ${context.awsRequestId}\n`);
  answers.write(`${JSON.stringify({ requestId: context.awsRequestId, ...answer })}\n`);
}
