import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerInstalled, startAlertmanager, type Alertmanager } from '../support/alertmanager.js';
import { TARGETS_WITH_SECRETS } from '../support/channel-targets.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';
import { eventually, startReceiver, type Receiver } from '../support/receiver.js';

/**
 * A real Alertmanager (Debian's prometheus-alertmanager) as Herald's client, configured with
 * the README's `receivers:` snippet as written (the source's URL and token put in): alerts
 * posted to it fire, then resolve; Herald tells a webhook notifier the problem and then its
 * recovery, and PagerDuty's stand-in opens the incident and then closes it.
 */

let herald: TestHerald;
let receiver: Receiver;
let alertmanager: Alertmanager;

/** The ```yaml block of the README's "Sending alerts from your tools". */
function readmeReceivers(): string {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('## Sending alerts from your tools'));
  const block = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('the README has no Alertmanager receivers: snippet');
  return block;
}

beforeAll(async () => {
  if (!alertmanagerInstalled())
    throw new Error('prometheus-alertmanager is not installed: apt-get install -y prometheus-alertmanager (.ci/run does)');
  receiver = await startReceiver();
  herald = await startTestHerald();
  await herald.createApp('ops', {
    notifiers: [
      { name: 'Hook', channel: 'webhook', target: { url: `${receiver.url}/ops` }, events: ['alert.*'], minSeverity: 'info' },
      { name: 'Pager', channel: 'pagerduty', target: TARGETS_WITH_SECRETS.pagerduty.target, events: ['alert.*'], minSeverity: 'warning' },
    ],
  });
  herald.startDelivering();
  const created = await herald.call('POST', '/v1/apps/ops/sources', {
    key: herald.adminKey,
    body: { kind: 'alertmanager', name: 'Prometheus' },
  });
  const { url } = created.body.source as { url: string };
  const receivers = readmeReceivers()
    .replace(/url: \S+/, `url: ${url}`)
    .replace(/credentials: \S+/, `credentials: ${created.body.secret as string}`);
  expect(receivers).toContain(url);
  // The README's receivers as written; a route that sends at once (a reader's keeps Alertmanager's timings).
  alertmanager = await startAlertmanager(
    `route:\n  receiver: herald\n  group_by: [alertname]\n  group_wait: 0s\n  group_interval: 1s\n  repeat_interval: 4h\n${receivers}`,
  );
}, 60_000);

afterAll(async () => {
  await alertmanager?.stop();
  await herald?.stop();
  await receiver?.close();
});

const told = (host: string) => receiver.requests.filter((r) => r.path === '/ops' && r.body.includes(host)).map((r) => JSON.parse(r.body));

describe('a real Alertmanager', () => {
  it('fires, then resolves: the webhook hears the problem then its recovery, PagerDuty opens then closes the incident', async () => {
    const labels = { alertname: 'DiskFull', severity: 'critical', instance: 'db-7' };
    const annotations = { summary: 'Disk full on db-7 💾', description: '/var is 99% full' };
    await alertmanager.post([{ labels, annotations, startsAt: new Date().toISOString() }]);
    const [problem] = await eventually(
      async () => (told('db-7').length ? told('db-7') : undefined),
      20_000,
      'the firing alert at the webhook',
    );
    expect(problem).toMatchObject({
      event_type: 'alert.firing',
      severity: 'critical',
      title: 'DiskFull: Disk full on db-7 💾',
      data: { labels },
    });
    const opened = await eventually(async () =>
      herald.standIns.delivered('pagerduty').find((d: any) => JSON.stringify(d).includes('db-7')),
    );
    expect(opened).toMatchObject({ event_action: 'trigger', incident: 'triggered' });

    // Prometheus resolves an alert by sending it with its end: now.
    await alertmanager.post([
      { labels, annotations, startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date().toISOString() },
    ]);
    const recovery = await eventually(
      async () => told('db-7').find((e) => e.event_type === 'alert.resolved'),
      20_000,
      'the resolution at the webhook',
    );
    expect(recovery).toMatchObject({ severity: 'info', data: { check: (problem as any).data.check, status: 'OK' } });
    const closed = await eventually(async () =>
      herald.standIns.delivered('pagerduty').find((d: any) => d.event_action === 'resolve' && d.dedup_key === (opened as any).dedup_key),
    );
    expect(closed).toMatchObject({ incident: 'resolved' });
    // Told once each: Alertmanager's notifications of the same state are duplicates or unchanged.
    expect(told('db-7').filter((e) => e.event_type === 'alert.firing')).toHaveLength(1);
  }, 60_000);
});
