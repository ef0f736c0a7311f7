import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { esbuildOptions, lazyModulesCommands, packagesBesideCommands } from '../../infra/bundling.js';
import { FAMILY_NAMES } from '../../shared/core/types.js';
import { dlqUrlVariable, queueUrlVariable, TIMERS } from '../../shared/resources.js';
import type { Config } from '../../shared/config.js';

/**
 * A function's bundle, built as the stack builds it (infra/bundling.ts), run in a process of
 * its own as Lambda runs it (test/support/lambda-runner.ts): what the tests of the handlers
 * call, so that they test what is deployed (middy, the top-level awaits, the bundle's
 * imports), not the sources.
 */
export interface LambdaFunction {
  /** One invocation: its answer, its request id, and the lines it logged (parsed when JSON). */
  invoke(event: unknown): Promise<{ requestId: string; result?: any; error?: string; lines: string[]; logs: any[] }>;
  stop(): void;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Builds functions/<name>/handler.ts into dir/<name>/index.mjs. */
export async function buildFunction(name: string, dir: string): Promise<string> {
  const outfile = `${dir}/${name}/index.mjs`;
  mkdirSync(`${dir}/${name}`, { recursive: true });
  await build(esbuildOptions(`functions/${name}/handler.ts`, outfile, name));
  for (const command of [...packagesBesideCommands(name, ROOT, `${dir}/${name}`), ...lazyModulesCommands(name, ROOT, `${dir}/${name}`)])
    execSync(command);
  return outfile;
}

/** The environment the stack gives a function, pointed at the emulators of a test's config. */
export function functionEnvironment(config: Config, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // vitest's settings for in-process logs and metrics: a function prints JSON lines and EMF documents.
  for (const name of ['POWERTOOLS_DEV', 'POWERTOOLS_METRICS_DISABLED', 'NODE_OPTIONS', 'VITEST', 'HERALD_LOG_FORMAT']) delete env[name];
  Object.assign(env, {
    AWS_REGION: config.region,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // As Lambda says it of an instance started for an invocation (Powertools' cold start).
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    HERALD_LOCAL: '1',
    HERALD_LOG_FORMAT: 'json',
    HERALD_TABLE: config.tableName,
    HERALD_DYNAMODB_ENDPOINT: config.endpoints.dynamodb,
    HERALD_SQS_ENDPOINT: config.endpoints.sqs,
    HERALD_SES_ENDPOINT: config.endpoints.ses,
    HERALD_SNS_ENDPOINT: config.endpoints.sns,
    HERALD_EMAIL_FROM: config.emailFrom,
    HERALD_RETRY_SCHEDULE: config.retrySchedule.join(','),
    HERALD_PROVIDERS: JSON.stringify(config.providers),
    ...(config.adminKey ? { HERALD_ADMIN_KEY: config.adminKey } : {}),
    ...extra,
  });
  for (const family of FAMILY_NAMES) {
    env[queueUrlVariable(family)] = config.queueUrls[family];
    env[dlqUrlVariable(family)] = config.dlqUrls[family];
  }
  if (config.timerQueueUrl) env[TIMERS.queueUrlVariable] = config.timerQueueUrl;
  return env;
}

/** Starts one instance of a built function: resolves when its handler is imported (its cold start done). */
export async function startFunction(bundle: string, name: string, env: NodeJS.ProcessEnv): Promise<LambdaFunction> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'test/support/lambda-runner.ts', bundle, name], {
    env: { ...env, AWS_LAMBDA_FUNCTION_NAME: name },
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
  });
  // Both streams, as Lambda takes both into the function's log group; an invocation's lines end with a marker on each.
  const lines: string[] = [];
  const ended = new Map<string, number>();
  const waiting = new Map<string, () => void>();
  for (const stream of [child.stdout!, child.stderr!])
    createInterface({ input: stream }).on('line', (line) => {
      const end = /^@@end (\S+)$/.exec(line);
      if (!end) return void lines.push(line);
      const id = end[1] as string;
      ended.set(id, (ended.get(id) ?? 0) + 1);
      if (ended.get(id) === 2) waiting.get(id)?.();
    });
  const answers = createInterface({ input: child.stdio[3] as NodeJS.ReadableStream })[Symbol.asyncIterator]();
  const next = async () => {
    const { value, done } = await answers.next();
    if (done) throw new Error(`the ${name} function's process ended`);
    return JSON.parse(value as string);
  };
  // Ready; or the start failed, and what the process wrote says why.
  await next().catch(async (err: Error) => {
    if (child.exitCode === null && child.signalCode === null) await new Promise((resolve) => child.once('close', resolve));
    throw new Error(`${err.message}:\n${lines.join('\n')}`);
  });
  let queue = Promise.resolve();
  return {
    invoke(event) {
      const run = queue.then(async () => {
        const from = lines.length;
        child.stdin!.write(`${JSON.stringify(event)}\n`);
        const answer = await next();
        // Its log lines are all read once the end markers, written after them, are.
        await new Promise<void>((resolve) => (ended.get(answer.requestId) === 2 ? resolve() : waiting.set(answer.requestId, resolve)));
        const logged = lines.slice(from);
        const logs = logged.map((l) => {
          try {
            return JSON.parse(l);
          } catch {
            return l;
          }
        });
        return { ...answer, lines: logged, logs };
      });
      queue = run.then(
        () => undefined,
        () => undefined,
      );
      return run;
    },
    stop: () => void child.kill(),
  };
}
