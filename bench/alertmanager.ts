import { alertmanagerInstalled, startAlertmanager } from '../test/support/alertmanager.js';
import type { Receiver } from '../test/support/receiver.js';
import { runAgainstSink, type SinkBench } from './sink-run.js';

export { alertmanagerInstalled };

/** Alertmanager (Debian's prometheus-alertmanager), when installed: the same sink, the same kind of load, for comparison. */
export interface AlertmanagerBench extends SinkBench {
  version: string;
  stop(): Promise<void>;
}

/**
 * Starts Alertmanager on loopback with no cluster, routing each alert (grouped by all its
 * labels: one notification per alert, sent at once) to 1 or 3 webhooks, by its `fanout`
 * label: webhook k to the sink's receiver k, as Herald's notifiers.
 */
export async function startAlertmanagerBench(sink: Receiver[]): Promise<AlertmanagerBench> {
  const hooks = (fanout: number) =>
    Array.from(
      { length: fanout },
      (_, k) => `      - url: ${(sink[k] as Receiver).url}/am/${fanout}/${k}\n        send_resolved: false`,
    ).join('\n');
  const config = `route:
  receiver: one
  group_by: ['...']
  group_wait: 0s
  group_interval: 1m
  repeat_interval: 24h
  routes:
    - receiver: three
      matchers: ['fanout="3"']
receivers:
  - name: one
    webhook_configs:
${hooks(1)}
  - name: three
    webhook_configs:
${hooks(3)}
`;
  const alertmanager = await startAlertmanager(config);
  let runs = 0;
  return {
    version: alertmanager.version,
    async run(items, fanout) {
      const run = `r${++runs}`;
      return runAgainstSink(sink, {
        items,
        fanout,
        pid: alertmanager.pid,
        async post(i) {
          const alert = [
            { labels: { alertname: 'BenchTick', run, fanout: String(fanout), i: String(i) }, annotations: { title: `tick ${i}` } },
          ];
          await alertmanager.post(alert);
        },
        identify(request) {
          if (!request.path.startsWith(`/am/${fanout}/`)) return undefined;
          const labels = JSON.parse(request.body).alerts?.[0]?.labels ?? {};
          if (labels.run !== run) return undefined;
          return { item: Number(labels.i), key: `${request.path}#${labels.i}` };
        },
      });
    },
    stop: () => alertmanager.stop(),
  };
}
