import { z } from 'zod';
import {
  Action,
  HeadCommit,
  User,
  firstLine,
  lines,
  nonEmpty,
  parsePayload,
  short,
  timestamp,
  type GithubMapping,
  type Repository,
} from './github-events.js';

/**
 * GitHub's completed workflow runs and check suites as ci.passed/ci.failed, keyed
 * (`data.check`) by repository, workflow or app, and branch, so that a green run after a
 * red one is a recovery and repeated greens tell nobody.
 */

/** A completed run's conclusion: told as passed or failed (in words), or not told. */
const CONCLUSIONS: Record<string, { passed: boolean; words: string }> = {
  success: { passed: true, words: 'passed' },
  failure: { passed: false, words: 'failed' },
  timed_out: { passed: false, words: 'timed out' },
  startup_failure: { passed: false, words: 'failed to start' },
};

interface Run {
  kind: string;
  name: string;
  branch: string;
  sha: string;
  conclusion: string | null | undefined;
  url: string;
  headCommit?: string;
  occurredAt?: string | null;
  data: Record<string, unknown>;
}

/** A completed workflow run or check suite as ci.passed/ci.failed, keyed by repository, name and branch. */
function ciRun(run: Run, repository: Repository): GithubMapping {
  const outcome = CONCLUSIONS[run.conclusion ?? ''];
  if (!outcome)
    return { ignored: `The ${run.kind} ${run.name} on ${run.branch} ended ${run.conclusion ?? 'without a conclusion'}: not told` };
  const commit = run.headCommit ? `: ${firstLine(run.headCommit)}` : '';
  return {
    type: outcome.passed ? 'ci.passed' : 'ci.failed',
    title: `CI ${outcome.passed ? 'passed' : 'failed'}: ${run.name} on ${run.branch} (${repository.full_name})`,
    message: lines(`The ${run.name} ${run.kind} on ${run.branch} ${outcome.words} at ${short(run.sha)}${commit}.`, run.url),
    occurredAt: timestamp(run.occurredAt),
    data: {
      check: `${repository.full_name}/${run.name}@${run.branch}`,
      status: outcome.passed ? 'OK' : 'ERROR',
      branch: run.branch,
      sha: run.sha,
      conclusion: run.conclusion,
      url: run.url,
      ...run.data,
    },
  };
}

const WorkflowRun = z.object({
  workflow_run: z.object({
    name: z.string().nullish(),
    head_branch: z.string().nullish(),
    head_sha: z.string(),
    html_url: z.string(),
    conclusion: z.string().nullish(),
    run_number: z.number().optional(),
    head_commit: HeadCommit.nullish(),
    actor: User.nullish(),
    updated_at: z.string().nullish(),
  }),
  workflow: z.object({ name: z.string() }).nullish(),
});

export function workflowRun(payload: unknown, repository: Repository): GithubMapping {
  const { action } = parsePayload('workflow_run', Action, payload);
  if (action !== 'completed') return { ignored: `A workflow run ${action}: only completed runs are told` };
  const { workflow_run: run, workflow } = parsePayload('workflow_run', WorkflowRun, payload);
  const actor = run.actor?.login;
  return ciRun(
    {
      kind: 'run',
      name: nonEmpty(run.name, workflow?.name) ?? 'workflow',
      branch: run.head_branch ?? short(run.head_sha),
      sha: run.head_sha,
      conclusion: run.conclusion,
      url: run.html_url,
      headCommit: run.head_commit?.message,
      occurredAt: run.updated_at,
      data: { ...(run.run_number !== undefined ? { runNumber: run.run_number } : {}), ...(actor ? { actor } : {}) },
    },
    repository,
  );
}

const CheckSuite = z.object({
  check_suite: z.object({
    head_branch: z.string().nullish(),
    head_sha: z.string(),
    conclusion: z.string().nullish(),
    app: z.object({ name: z.string(), slug: z.string().optional() }).nullish(),
    head_commit: HeadCommit.nullish(),
    updated_at: z.string().nullish(),
  }),
});

export function checkSuite(payload: unknown, repository: Repository): GithubMapping {
  const { action } = parsePayload('check_suite', Action, payload);
  if (action !== 'completed') return { ignored: `A check suite ${action}: only completed suites are told` };
  const { check_suite: suite } = parsePayload('check_suite', CheckSuite, payload);
  // GitHub Actions makes one suite per workflow run, all named after the app: told as suites,
  // every workflow of a branch would be one check (a red build and a green lint, a false
  // recovery), and each run told twice to those who tick both. Its workflow runs tell it.
  if (suite.app?.slug === 'github-actions') {
    return { ignored: 'A check suite of GitHub Actions: its workflow runs are told (tick "Workflow runs")' };
  }
  return ciRun(
    {
      kind: 'check suite',
      name: suite.app?.name ?? 'checks',
      branch: suite.head_branch ?? short(suite.head_sha),
      sha: suite.head_sha,
      conclusion: suite.conclusion,
      // A check suite has no page of its own: its commit's checks are where GitHub shows it.
      url: `${repository.html_url}/commit/${suite.head_sha}/checks`,
      headCommit: suite.head_commit?.message,
      occurredAt: suite.updated_at,
      data: {},
    },
    repository,
  );
}
