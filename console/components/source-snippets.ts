import type { Source } from '@herald/client';

/**
 * What to paste into each tool so that it posts to a source: its URL and its secret, in the
 * tool's own words (README: "Sending alerts from your tools"). `secret` is undefined for SNS,
 * which signs its messages instead.
 */
export function sourceSnippet(source: Source, secret: string | undefined): { label: string; text: string } {
  const token = secret ?? '<the secret>';
  switch (source.kind) {
    case 'alertmanager':
      return {
        label: "Alertmanager's configuration (alertmanager.yml): a receiver, then route alerts to it",
        text: [
          'receivers:',
          '  - name: herald',
          '    webhook_configs:',
          `      - url: ${source.url}`,
          '        send_resolved: true',
          '        http_config:',
          '          authorization:',
          '            type: Bearer',
          `            credentials: ${token}`,
        ].join('\n'),
      };
    case 'grafana':
      return {
        label: 'Grafana: Alerting → Contact points → Add contact point',
        text: [
          'Integration: Webhook',
          `URL: ${source.url}`,
          'HTTP Method: POST',
          'Authorization Header - Scheme: Bearer',
          `Authorization Header - Credentials: ${token}`,
        ].join('\n'),
      };
    case 'github':
      return {
        label: "GitHub: the repository's (or organization's) Settings → Webhooks → Add webhook",
        text: [
          `Payload URL: ${source.url}`,
          'Content type: application/json',
          `Secret: ${token}`,
          'Events: Workflow runs, Deployment statuses, Check suites, Pushes, Releases',
        ].join('\n'),
      };
    case 'sns':
      return {
        label: 'Amazon SNS: subscribe the topic to this endpoint (Herald confirms the subscription itself)',
        text: [
          `Console: Topics → your topic → Create subscription → Protocol ${source.url.startsWith('https:') ? 'HTTPS' : 'HTTP'}, Endpoint ${source.url}`,
          '',
          `aws sns subscribe --topic-arn ${source.settings.topicArns?.[0] ?? 'arn:aws:sns:REGION:ACCOUNT:TOPIC'} \\`,
          `  --protocol ${source.url.startsWith('https:') ? 'https' : 'http'} --notification-endpoint ${source.url}`,
        ].join('\n'),
      };
    case 'json':
      return {
        label: 'Your tool posts its JSON with the secret as a bearer token, like this curl',
        text: [
          `curl -X POST ${source.url} \\`,
          `  -H 'Authorization: Bearer ${token}' -H 'Content-Type: application/json' \\`,
          `  -d '${JSON.stringify(sampleBody(source.settings.mapping ?? {}))}'`,
        ].join('\n'),
      };
  }
}

/** A body the mapping reads: each plain path ($.job.name) given its field's name as a value. */
function sampleBody(mapping: Record<string, string | undefined>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(mapping)) {
    const keys = /^\$((?:\.[A-Za-z_][\w-]*)+)$/
      .exec(value ?? '')?.[1]
      ?.slice(1)
      .split('.');
    if (!keys) continue;
    let at = body;
    for (const key of keys.slice(0, -1)) at = (at[key] = typeof at[key] === 'object' && at[key] ? at[key] : {}) as Record<string, unknown>;
    at[keys.at(-1) as string] = field === 'severity' ? 'critical' : `the ${field}`;
  }
  return body;
}
