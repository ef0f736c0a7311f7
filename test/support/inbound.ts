import { readFileSync } from 'node:fs';
import { HeraldError } from '../../shared/errors.js';

/** The error a call is refused with (a HeraldError, whose status the API answers); fails the test if it is not refused. */
export async function refusal(promise: Promise<unknown>): Promise<HeraldError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof HeraldError)) throw new Error(`expected a refusal, got ${String(err)}`);
  return err;
}

/** A message of test/fixtures/sns/ (see its README for where each comes from), as SNS posted it. */
export const snsFixture = (name: string): Record<string, string> =>
  JSON.parse(readFileSync(new URL(`../fixtures/sns/${name}`, import.meta.url), 'utf8')) as Record<string, string>;

/** An Alertmanager webhook (version 4) with the given alerts. */
export const alertmanagerPayload = (alerts: object[], status = 'firing') => ({
  version: '4',
  groupKey: '{}:{alertname="DiskFull"}',
  truncatedAlerts: 0,
  status,
  receiver: 'herald',
  groupLabels: { alertname: 'DiskFull' },
  commonLabels: { alertname: 'DiskFull' },
  commonAnnotations: {},
  externalURL: 'http://alertmanager.example:9093',
  alerts,
});

/** One alert of it: DiskFull on a host, firing or resolved. */
export const diskFull = (status: 'firing' | 'resolved', host: string, fingerprint: string) => ({
  status,
  labels: { alertname: 'DiskFull', severity: 'critical', instance: host },
  annotations: { summary: `Disk full on ${host} 💾`, description: `/var is 99% full on ${host}` },
  startsAt: '2026-11-30T05:00:00Z',
  endsAt: status === 'resolved' ? '2026-11-30T05:10:00Z' : '0001-01-01T00:00:00Z',
  generatorURL: 'http://prometheus.example:9090/graph?g0.expr=disk',
  fingerprint,
});

/** What Alertmanager does with a source: post a firing DiskFull alert of `host` to its URL, the token as a bearer. Answers the status. */
export const postAlert = (url: string, token: string, host: string): Promise<number> =>
  fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(alertmanagerPayload([diskFull('firing', host, `a1e7${host.padStart(12, '0')}`)])),
  }).then((r) => r.status);
