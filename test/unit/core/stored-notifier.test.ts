import { describe, expect, it } from 'vitest';
import { DEFAULT_NOTIFIER_EVENTS, followApp, newDefaultNotifier } from '../../../shared/core/default-notifier.js';
import { asStoredNow, type StoredNotifier } from '../../../shared/core/stored-notifier.js';
import type { App } from '../../../shared/core/types.js';

// The default notifier as main at 82e4cfa stored it (test/fixtures/data-dir-82e4cfa).
const earlierDefault: StoredNotifier = {
  id: 'ntf_1',
  appId: 'shop',
  name: 'Owner email (default)',
  enabled: true,
  channel: 'email',
  target: { to: ['owner@shop.example'] },
  events: ['app_created', 'notifier_disabled', 'app_alert_triggered', 'app_crashed', 'app_crashed_repeated', 'database_backup_failed']
    .concat(['stack.provision.fail', 'stack.redeploy.fail', 'stack.redeploy.hook.fail', 'server.stopped', 'job.fail', 'process.down'])
    .concat(['container.down', 'monitor.down', 'ssl.expiring', 'heartbeat.missed', 'agent.stale', 'exception', 'server.offline']),
  minSeverity: 'info',
  throttle: { limit: 5, windowSeconds: 60 },
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
};

describe('notifiers stored by earlier versions', () => {
  it('read an empty or missing events list as ["*"]', () => {
    const mine = { ...earlierDefault, name: 'All mail', events: [] };
    expect(asStoredNow(mine).events).toEqual(['*']);
    const { events: _e, ...missing } = mine;
    expect(asStoredNow(missing).events).toEqual(['*']);
    expect(asStoredNow(mine).default).toBe(false);
  });

  it('recognise the default notifier, renamed or not, without app_crashed_repeated and its old throttle', () => {
    for (const stored of [earlierDefault, { ...earlierDefault, name: 'Owner' }]) {
      const read = asStoredNow(stored);
      expect(read.default).toBe(true);
      expect(read.events).not.toContain('app_crashed_repeated');
      expect(read.events).toContain('app_crashed');
      expect(read.throttle).toBeUndefined();
    }
  });

  it('leave a notifier that only looks alike, and whatever this version stored, as it is', () => {
    const renamedAndEdited = { ...earlierDefault, name: 'Owner', events: ['app_crashed', 'app_crashed_repeated'] };
    expect(asStoredNow(renamedAndEdited)).toMatchObject({ default: false, events: ['app_crashed', 'app_crashed_repeated'] });
    expect(asStoredNow({ ...earlierDefault, appId: '*' }).default).toBe(false);
    const current = { ...earlierDefault, default: false };
    expect(asStoredNow(current)).toEqual(current);
  });
});

describe('the default notifier', () => {
  const app = (email: string, collaborators?: string[]): App => ({
    id: 'shop',
    name: 'Shop',
    owner: { email },
    ...(collaborators ? { collaborators } : {}),
    createdAt: 't',
    updatedAt: 't',
  });

  it('mails the owner and collaborators (each once) for the critical types and the welcome, not every crash', () => {
    const n = newDefaultNotifier(app('o@x.example', ['d@x.example', 'O@x.example']), 'ntf_d');
    expect(n).toMatchObject({ default: true, channel: 'email', target: { to: ['o@x.example', 'd@x.example'] } });
    expect(n.events).toEqual(DEFAULT_NOTIFIER_EVENTS);
    expect(n.events).toContain('app_crashed');
    expect(n.events).not.toContain('app_crashed_repeated');
    expect(n.throttle).toBeUndefined();
  });

  it('follows an owner change and collaborators joining or leaving, keeping addresses a user added or removed', () => {
    const before = app('old@x.example', ['a@x.example']);
    const n = { ...newDefaultNotifier(before, 'ntf_d'), target: { to: ['old@x.example', 'boss@x.example'] } }; // a removed, boss added
    expect(followApp(n, before, app('new@x.example', ['a@x.example']))).toEqual({ to: ['boss@x.example', 'new@x.example'] });
    expect(followApp(n, before, app('old@x.example', ['a@x.example', 'b@x.example']))).toEqual({
      to: ['old@x.example', 'boss@x.example', 'b@x.example'],
    });
    expect(followApp(n, before, before)).toBeUndefined();
  });

  it('is left alone when it is no default notifier, mails no more, or would be left with nobody', () => {
    const before = app('old@x.example');
    const after = app('new@x.example');
    const n = newDefaultNotifier(before, 'ntf_d');
    expect(followApp({ ...n, default: false }, before, after)).toBeUndefined();
    expect(followApp({ ...n, channel: 'slack', target: { url: 'https://hooks.slack.com/x' } }, before, after)).toBeUndefined();
    expect(followApp({ ...n, target: { to: ['c@x.example'] } }, app('o@x.example', ['c@x.example']), app('o@x.example'))).toBeUndefined();
  });
});
