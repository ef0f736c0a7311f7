import { resolve } from 'node:path';
import { startLocalHerald } from './herald-local.js';

/** `npm start`: Herald in local mode. Ctrl-C stops it; the data stays in HERALD_DATA_DIR. */
const dataDir = resolve(process.env['HERALD_DATA_DIR'] ?? '.herald');
const herald = await startLocalHerald({
  port: Number(process.env['PORT'] ?? 3000),
  dataDir,
  ...(process.env['HERALD_ADMIN_KEY'] ? { adminKey: process.env['HERALD_ADMIN_KEY'] } : {}),
  ...(process.env['HERALD_SES_PORT'] ? { sesPort: Number(process.env['HERALD_SES_PORT']) } : {}),
});

const outbound = herald.allowPrivateOutbound
  ? 'private and loopback addresses allowed, http too (on AWS: https to public addresses only; HERALD_OUTBOUND_POLICY=aws applies that here)'
  : "https to public addresses only, as on AWS (HERALD_OUTBOUND_POLICY=aws): this machine's stand-ins and receivers are out of reach";

console.log(`
Herald is running in local mode.

  Console         ${herald.consoleUrl}   (sign in with the admin key)
  API             ${herald.url}
  Admin key       ${herald.adminKey}${herald.adminKeyFile ? `\n                  (kept in ${herald.adminKeyFile})` : ''}
  Mail sent       ${herald.url}/_local/outbox/email   (mail viewer: ${herald.mailViewer})
  SMS sent        ${herald.url}/_local/outbox/sms
  Slack webhook   ${herald.url}/_local/slack/services/T000/B000/XXXX   (what it got: ${herald.url}/_local/outbox/slack)
  Any webhook     ${herald.url}/_local/webhook/<any path>   (what it got: ${herald.url}/_local/outbox/webhook)
  Other channels  ${herald.url}/_local/outbox/<provider>   (telegram, discord, ntfy, pagerduty...: local stand-ins of their APIs)${herald.realProviders.length ? `\n  Real providers  ${herald.realProviders.join(', ')} (from your provider settings)` : ''}
  Data            ${dataDir}
  Outbound        ${outbound}
  Store           ${herald.storeDir}   (embedded store and queues: a journal on disk, no emulators)${herald.movedIn ? `\n  Moved in        ${herald.movedIn.items} items from the earlier data dir (kept at ${herald.movedIn.keptAt})` : ''}
  Emulators       SES ${herald.endpoints.ses}, SNS ${herald.endpoints.sns}   (mail and SMS outboxes; any credentials, region us-east-1)
  Requeued        ${herald.requeued} waiting deliveries

  Try: curl -s ${herald.url}/health
  Ctrl-C stops it.
`);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping Herald...`);
  const force = setTimeout(() => process.exit(1), 8000);
  force.unref();
  await herald.stop();
  console.log('Stopped.');
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
