import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { readStackSettings } from '../../bench/stack-settings.js';
import { esbuildOptions, LAZY_FUNCTIONS, LAZY_MODULES } from '../../infra/bundling.js';
import { FAMILIES, FAMILY_NAMES } from '../../shared/core/types.js';

/**
 * What each function's bundle carries, from esbuild's metafile, built as the stack builds it
 * (infra/bundling.ts): a function's cold start grows with its bundle (parsing it, running
 * its top-level code), so what a function never uses must stay out of it. Sizes, not
 * timings: the same on any machine. A budget is the bundle's size when it was set plus about
 * 5%; raise it on purpose (a library's update), never to let a channel's sender into ingest.
 */
const BUDGET_KIB: Record<string, number> = {
  // Set again for issue 14 (cold start): the SDK's credential chain left out (130 KiB a bundle:
  // infra/bundling.ts, its alias). Sizes then: api 1210, ingest 946, sweeper 355, email 508,
  // sms 503, slack 441, webhook 345, chat 465, push 584, incident 464.
  // Raised for issue 18: contacts, contact groups, escalation, failover and pacing (routes and
  // schemas): 1278 then. Set again for issue 14: zod's 40 locales left out (257 KiB of api
  // and ingest, the only bundles with zod: infra/bundling.ts, its alias): api 1023, ingest 723.
  // Set again in issue 14's session 28: libphonenumber-js and liquidjs in files of their own
  // beside the api's bundle (LAZY_MODULES): api 811.
  api: 850,
  ingest: 760,
  // Raised for issue 17: the sweeper consumes the timer queue, taking and sending groups'
  // notifications and digests (grouping, incidents, Powertools' batch): 387 then.
  sweeper: 405,
  // Raised for issue 18: every channel function paces (a GCRA bucket per destination,
  // coalescing) and sets failover timers: webhook 368 then (a notifier's rate paces a webhook
  // too). Set again in issue 14's session 27 for the other channel functions, which had grown
  // to their budgets with the same code, and a busy destination's wait (DestinationLoad's
  // takeSoon): email 535, sms 527, slack 466, webhook 370, chat 490, push 607, incident 489.
  email: 560,
  sms: 555,
  slack: 490,
  webhook: 390,
  chat: 515,
  push: 640,
  incident: 515,
};

/** Sending code: ingest and the sweeper plan deliveries (ADDRESSING) and never send or render one. */
const SENDING = [
  'node_modules/liquidjs/',
  'node_modules/web-push/',
  'node_modules/libphonenumber-js/',
  'shared/core/messages/render.ts',
  'shared/channels/http-post.ts',
];

const built = new Map<string, Metafile>();

beforeAll(async () => {
  await Promise.all(
    Object.keys(BUDGET_KIB).map(async (name) => {
      const result = await build({
        ...esbuildOptions(`functions/${name}/handler.ts`, `/tmp/herald-bundles/${name}/index.mjs`, name),
        write: false,
        metafile: true,
      });
      built.set(name, result.metafile);
    }),
  );
}, 120_000);

const bundleOf = (name: string) => {
  const meta = built.get(name) as Metafile;
  const out = Object.values(meta.outputs).find((o) => o.entryPoint) as Metafile['outputs'][string];
  return { meta, kib: out.bytes / 1024, files: Object.keys(out.inputs).filter((f) => (out.inputs[f]?.bytesInOutput ?? 0) > 0) };
};

/** The files the entry imports statically: the code that runs when the bundle is imported, not on a later `import()`. */
function loadedAtStart(meta: Metafile, entry: string): Set<string> {
  const seen = new Set([entry]);
  const queue = [entry];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    for (const i of meta.inputs[file]?.imports ?? []) {
      if (i.external || i.kind === 'dynamic-import' || seen.has(i.path)) continue;
      seen.add(i.path);
      queue.push(i.path);
    }
  }
  return seen;
}

describe('function bundles', () => {
  it('has a budget for every function that has a bundle of size', () => {
    expect(Object.keys(BUDGET_KIB).sort()).toEqual(['api', 'ingest', 'sweeper', ...FAMILY_NAMES].sort());
  });

  it.each(Object.keys(BUDGET_KIB))('keeps the %s bundle within its budget', (name) => {
    expect(Math.round(bundleOf(name).kib)).toBeLessThanOrEqual(BUDGET_KIB[name] as number);
  });

  it.each(['ingest', 'sweeper'])('leaves rendering and the senders out of the %s bundle', (name) => {
    const { files } = bundleOf(name);
    expect(files.filter((f) => SENDING.some((s) => f.includes(s)))).toEqual([]);
  });

  it.each(['sweeper', ...FAMILY_NAMES])("leaves the targets' schemas, and zod, out of the %s bundle", (name) => {
    const { files } = bundleOf(name);
    expect(files.filter((f) => f.includes('node_modules/zod/') || /^shared\/channels\/.*\/target\.ts$/.test(f))).toEqual([]);
  });

  it.each(FAMILY_NAMES)('carries the senders of its own family alone in the %s bundle', (family) => {
    const { files } = bundleOf(family);
    const senders = files.filter((f) => /^shared\/channels\/[a-z_]+\/[a-z_]+\/sender\.ts$/.test(f));
    expect(senders.sort()).toEqual(FAMILIES[family].map((name) => `shared/channels/${family}/${name}/sender.ts`).sort());
  });

  it.each(Object.keys(BUDGET_KIB))("carries the environment's AWS credentials alone, not the SDK's chain, in the %s bundle", (name) => {
    const { files } = bundleOf(name);
    expect(files).toContain('shared/aws/lambda-credentials.ts');
    // The SDK's own reader of the environment, and nothing else of its chain.
    expect(
      files.filter((f) => /node_modules\/@aws-sdk\/(credential-provider-(?!env\/)|nested-clients\/|token-providers\/)/.test(f)),
    ).toEqual([]);
  });

  it.each(['api', 'ingest'])("carries zod's English alone of its locales in the %s bundle", (name) => {
    const { files } = bundleOf(name);
    expect(files).toContain('shared/aws/zod/namespace.js');
    // (index.js may leave an empty wrapper of 80 bytes where zod's core is loaded lazily.)
    const locales = files.filter((f) => f.includes('node_modules/zod/v4/locales/') && !f.endsWith('/index.js'));
    expect(locales).toEqual(['node_modules/zod/v4/locales/en.js']);
  });

  it('loads web-push (its crypto) when the first push is sent, not when the push function starts', () => {
    const { meta, files } = bundleOf('push');
    expect(files.some((f) => f.includes('node_modules/web-push/'))).toBe(true);
    const atStart = [...loadedAtStart(meta, 'functions/push/handler.ts')];
    expect(atStart.filter((f) => /node_modules\/(web-push|bn\.js|asn1\.js)\//.test(f))).toEqual([]);
  });

  // The targets' schemas are imported dynamically but at start (shared/channels/targets.ts awaits them all): these
  // libraries, which the api needs on a rare path only, are in files of their own beside its bundle (LAZY_MODULES).
  it.each([
    ['libphonenumber-js', 'phone-check'],
    ['liquidjs', 'render'],
  ])('leaves %s out of the api bundle, in lazy/%s.mjs beside it', async (library, name) => {
    const { files } = bundleOf('api');
    expect(files.filter((f) => f.includes(`node_modules/${library}/`) || f === LAZY_MODULES[name])).toEqual([]);
    const beside = await build({
      ...esbuildOptions(LAZY_MODULES[name] as string, `/tmp/herald-bundles/api/lazy/${name}.mjs`),
      write: false,
      metafile: true,
    });
    expect(Object.keys(beside.metafile.inputs).some((f) => f.includes(`node_modules/${library}/`))).toBe(true);
  });

  it("builds the lazy modules beside the api's bundle alone, as the stack bundles it (HeraldFunction's afterBundling)", () => {
    const functions = readStackSettings().functions;
    expect(functions.length).toBeGreaterThan(10);
    for (const f of functions) {
      const builds = (f.afterBundling?.('/asset') ?? []).some((command) => command.includes('infra/build-lazy-modules.ts'));
      expect([f.name, builds]).toEqual([f.name, LAZY_FUNCTIONS.includes(f.name)]);
    }
    expect(LAZY_FUNCTIONS).toEqual(['api']);
  });

  it.each(['email', 'sms', 'slack', 'chat'])('carries the template engine itself in the %s bundle, which renders every message', (name) => {
    expect(bundleOf(name).files).toContain('shared/core/messages/render.ts');
  });
});
