import { z } from 'zod';
import { ValidationError } from '../../errors.js';
import { issuesOf } from '../../schemas/issues.js';

/**
 * How GitHub's deployment statuses, pushes and releases become one event each (or nothing,
 * with why), and what every mapping shares. Each schema names only the fields its mapping
 * reads. Failures and their recoveries carry `data.check` and `data.status` (ERROR/OK), so
 * that Herald's state changes tell a success after a failure as a recovery, to whoever got
 * the failure, and repeated successes tell nobody.
 */

export interface GithubEventParts {
  type: 'deployment' | 'deployment.failed' | 'ci.passed' | 'ci.failed' | 'code.pushed' | 'release.published';
  title: string;
  message: string;
  data: Record<string, unknown>;
  occurredAt?: string;
}
export type GithubMapping = GithubEventParts | { ignored: string };

export interface Repository {
  full_name: string;
  html_url: string;
}

export type Mapper = (payload: unknown, repository: Repository) => GithubMapping;

/** The payload as `schema` reads it, or a ValidationError naming the fields at fault (`workflow_run.html_url`). */
export function parsePayload<T extends z.ZodType>(event: string, schema: T, payload: unknown): z.infer<T> {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw new ValidationError(`The GitHub ${event} payload lacks what Herald reads`, issuesOf(parsed.error));
  return parsed.data;
}

export const User = z.object({ login: z.string() });
export const HeadCommit = z.object({ message: z.string() });
export const Action = z.object({ action: z.string() });

export const nonEmpty = (...values: (string | null | undefined)[]) => values.find((v): v is string => typeof v === 'string' && v !== '');
export const short = (sha: string) => sha.slice(0, 7);
export const firstLine = (text: string) => text.split('\n', 1)[0]!.trim();
export const lines = (...parts: (string | null | undefined)[]) => parts.filter((p) => p).join('\n');
export const timestamp = (value: string | null | undefined) =>
  z.iso.datetime({ offset: true }).safeParse(value).success ? value! : undefined;

const DeploymentStatus = z.object({
  deployment_status: z.object({
    state: z.string(),
    environment: z.string().optional(),
    description: z.string().nullish(),
    log_url: z.string().nullish(),
    target_url: z.string().nullish(),
    environment_url: z.string().nullish(),
    creator: User.nullish(),
    updated_at: z.string().nullish(),
  }),
  deployment: z.object({ ref: z.string(), sha: z.string(), environment: z.string(), creator: User.nullish() }),
});

export function deploymentStatus(payload: unknown, repository: Repository): GithubMapping {
  const { deployment_status: status, deployment } = parsePayload('deployment_status', DeploymentStatus, payload);
  const environment = status.environment ?? deployment.environment;
  const failed = status.state === 'failure' || status.state === 'error';
  if (!failed && status.state !== 'success') {
    return { ignored: `A deployment to ${environment} is ${status.state}: only success, failure and error are told` };
  }
  const url = nonEmpty(status.log_url, status.target_url, status.environment_url);
  const creator = (deployment.creator ?? status.creator)?.login;
  const by = creator ? `, started by ${creator}` : '';
  const what = `${deployment.ref} to ${environment} (${repository.full_name})`;
  return {
    type: failed ? 'deployment.failed' : 'deployment',
    title: failed ? `Deployment failed: ${what}` : `Deployed: ${what}`,
    message: lines(
      `The deployment of ${deployment.ref} (${short(deployment.sha)}) to ${environment}${by}, ${failed ? `ended in ${status.state}` : 'succeeded'}.`,
      status.description,
      url,
    ),
    occurredAt: timestamp(status.updated_at),
    data: {
      check: `${repository.full_name}/deploy/${environment}`,
      status: failed ? 'ERROR' : 'OK',
      environment,
      ref: deployment.ref,
      sha: deployment.sha,
      state: status.state,
      ...(url ? { url } : {}),
      ...(creator ? { creator } : {}),
    },
  };
}

const Push = z.object({
  ref: z.string(),
  deleted: z.boolean().optional(),
  after: z.string(),
  compare: z.string(),
  pusher: z.object({ name: z.string() }),
  commits: z.array(z.unknown()),
  head_commit: z.object({ id: z.string(), message: z.string() }).nullish(),
  repository: z.object({ default_branch: z.string() }),
});

export function push(payload: unknown, repository: Repository): GithubMapping {
  const { ref, deleted, after, compare, pusher, commits, head_commit: head, repository: repo } = parsePayload('push', Push, payload);
  const branch = repo.default_branch;
  if (ref !== `refs/heads/${branch}`) return { ignored: `A push to ${ref}: only pushes to the default branch (${branch}) are told` };
  if (deleted) return { ignored: `The default branch ${branch} was deleted: not told` };
  const count = `${commits.length} commit${commits.length === 1 ? '' : 's'}`;
  const latest = head ? `; the latest: ${firstLine(head.message)}` : '';
  return {
    type: 'code.pushed',
    title: `${count} pushed to ${branch} (${repository.full_name})`,
    message: lines(`${pusher.name} pushed ${count} to ${branch}${latest}.`, compare),
    data: {
      branch,
      pusher: pusher.name,
      commits: commits.length,
      after,
      compare,
      ...(head ? { headCommit: head.id, headCommitMessage: firstLine(head.message) } : {}),
    },
  };
}

const Release = z.object({
  release: z.object({
    tag_name: z.string(),
    name: z.string().nullish(),
    html_url: z.string(),
    prerelease: z.boolean().optional(),
    author: User.nullish(),
    published_at: z.string().nullish(),
  }),
});

export function release(payload: unknown, repository: Repository): GithubMapping {
  const { action } = parsePayload('release', Action, payload);
  if (action !== 'published') return { ignored: `A release ${action}: only published releases are told` };
  const { release: r } = parsePayload('release', Release, payload);
  const name = nonEmpty(r.name);
  const label = name && name !== r.tag_name ? `${name} (${r.tag_name})` : r.tag_name;
  const author = r.author?.login;
  return {
    type: 'release.published',
    title: `Release ${label} published (${repository.full_name})`,
    message: lines(
      `${repository.full_name} ${label}${r.prerelease ? ', a pre-release,' : ''} was published${author ? ` by ${author}` : ''}.`,
      r.html_url,
    ),
    occurredAt: timestamp(r.published_at),
    data: { tag: r.tag_name, ...(name ? { name } : {}), url: r.html_url, prerelease: r.prerelease ?? false, ...(author ? { author } : {}) },
  };
}
