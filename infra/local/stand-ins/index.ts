import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { ProviderSettings } from '../../../shared/providers.js';
import { KeptList, keptValue, MAX_KEPT } from '../kept.js';
import { chatStandIns } from './chat.js';
import { incidentStandIns } from './incident.js';
import { pushStandIns } from './push.js';
import { slackStandIn } from './slack.js';
import { smsStandIns } from './sms.js';
import { Refusal, type StandIn, type StandInAnswer } from './stand-in.js';
import { webhookStandIn } from './webhook.js';

/** What reached a provider's stand-in and was accepted. */
export interface Delivered {
  provider: string;
  at: string;
  [field: string]: unknown;
}

/**
 * The providers' stand-ins, on their own port (tests, and what local mode's provider
 * settings point at) and under `/_local/<provider>/…` on the API port (webhook URLs a
 * user can paste). `failNext` makes a provider answer a fault, for tests. With a data dir,
 * what they accepted and their state (push subscriptions, open incidents) outlive a restart.
 */
export interface StandIns {
  url: string;
  /** Local mode's provider settings: every API at its stand-in, with the credentials the stand-ins accept. */
  settings: ProviderSettings;
  delivered(provider?: string): Delivered[];
  failNext(provider: string, answer: StandInAnswer, times?: number): void;
  /** Every request, accepted or not (tests look at what was refused). */
  requests: { provider: string; method: string; path: string; status: number }[];
  /** How many 429s a provider's stand-in has answered (its rate limit, or a fault asked for), since the start. */
  rateLimited(provider: string): number;
  route(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  close(): Promise<void>;
}

/** Local credentials: shaped like real ones, good only against the stand-ins. */
export function localProviderSettings(baseUrl: string): ProviderSettings {
  const at = (provider: string) => `${baseUrl}/_local/${provider}`;
  return {
    telegram: { botToken: '123456789:local-stand-in-bot-token', apiUrl: at('telegram') },
    twilio: {
      accountSid: `AC${'0'.repeat(32)}`,
      authToken: 'local-stand-in-auth-token',
      from: '+15005550006',
      whatsappFrom: '+14155238886',
      apiUrl: at('twilio'),
    },
    vonage: { apiKey: 'localkey', apiSecret: 'local-stand-in-secret', from: 'Herald', apiUrl: at('vonage') },
    pushover: { appToken: 'azGDORePK8gMaC0QOYAMyEEuzJnyUi', apiUrl: at('pushover') },
    onesignal: { appId: '00000000-0000-4000-8000-000000000001', apiKey: 'os_v2_app_localstandin', apiUrl: at('onesignal') },
    pusherBeams: { instanceId: '00000000-0000-4000-8000-000000000002', secretKey: 'LOCALSTANDINSECRETKEY', apiUrl: at('pusher_beams') },
    webPush: {
      // A fixed key pair for local mode only (never a real one): `npx web-push generate-vapid-keys` makes yours.
      publicKey: 'BHldKpxNROMLH6AYzIphfNVdXQGExLZCXwk4wxUAiDO8VUWYpeGppH3rWMsb5_bFwypywlnc7a-6uMJkpj12NbQ',
      privateKey: 'aT--hzndRMrY24OXiMnx0JbkHjcmcWz8F-9Uh5a25S4',
      subject: 'mailto:herald@localhost',
    },
    pagerduty: { apiUrl: at('pagerduty') },
    opsgenie: { apiUrl: at('opsgenie') },
    ntfy: { serverUrl: at('ntfy') },
    pushbullet: { apiUrl: at('pushbullet') },
  };
}

export async function startStandIns(options: { port?: number; host?: string; dataDir?: string } = {}): Promise<StandIns> {
  const { dataDir } = options;
  const delivered = new KeptList<Delivered>(dataDir && join(dataDir, 'outbox', 'providers.jsonl'));
  const requests: StandIns['requests'] = [];
  const faults = new Map<string, StandInAnswer[]>();
  const tooMany = new Map<string, number>();
  let settings: ProviderSettings = {};
  const stateOf = <T>(provider: string) => keptValue<T>(dataDir && join(dataDir, 'stand-ins', `${provider}.json`));
  // Each instance its own: rate limits, open incidents and push subscriptions are not shared.
  const standIns: StandIn[] = [
    slackStandIn(),
    webhookStandIn,
    ...chatStandIns(),
    ...pushStandIns(stateOf),
    ...incidentStandIns(stateOf),
    ...smsStandIns(),
  ];

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://local');
    const m = /^\/_local\/([a-z_]+)(\/.*)?$/.exec(url.pathname);
    const standIn = m && standIns.find((s) => s.provider === m[1]);
    if (!m || !standIn) return false;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let answer: StandInAnswer;
    const fault = faults.get(standIn.provider)?.shift();
    if (fault) answer = fault;
    else {
      try {
        answer = standIn.handle(
          { method: req.method ?? 'GET', path: m[2] ?? '/', query: url.searchParams, headers: req.headers, raw: Buffer.concat(chunks) },
          settings,
        );
      } catch (err) {
        if (!(err instanceof Refusal)) throw err;
        answer = err.answer;
      }
    }
    requests.push({ provider: standIn.provider, method: req.method ?? 'GET', path: m[2] ?? '/', status: answer.status });
    if (answer.status === 429) tooMany.set(standIn.provider, (tooMany.get(standIn.provider) ?? 0) + 1);
    if (answer.delivered) delivered.push({ provider: standIn.provider, at: new Date().toISOString(), ...answer.delivered });
    // A long-running local mode keeps the latest only.
    if (requests.length > MAX_KEPT) requests.splice(0, requests.length - MAX_KEPT);
    const body = answer.json !== undefined ? JSON.stringify(answer.json) : (answer.text ?? '');
    res.writeHead(answer.status, {
      ...(answer.json !== undefined ? { 'content-type': 'application/json' } : answer.text ? { 'content-type': 'text/plain' } : {}),
      ...answer.headers,
    });
    res.end(body);
    return true;
  };

  const server: Server = createServer((req, res) => {
    route(req, res)
      .then((handled) => {
        if (!handled) {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: 'no stand-in here: /_local/<provider>/…' }));
        }
      })
      .catch((err: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(err));
      });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const url = `http://${options.host ?? '127.0.0.1'}:${(server.address() as AddressInfo).port}`;
  settings = localProviderSettings(url);
  return {
    url,
    settings,
    requests,
    rateLimited: (provider) => tooMany.get(provider) ?? 0,
    delivered: (provider) => (provider ? delivered.items.filter((d) => d.provider === provider) : delivered.items),
    failNext(provider, answer, times = 1) {
      faults.set(provider, [...(faults.get(provider) ?? []), ...Array.from({ length: times }, () => answer)]);
    },
    route,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
