import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/receiver.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';

/** The default notifier mails the app's owner and collaborators, and follows them. */
let herald: TestHerald;

beforeAll(async () => {
  herald = await startTestHerald();
  herald.startDelivering();
});
afterAll(async () => {
  await herald.stop();
});

const admin = (method: string, path: string, body?: unknown) =>
  herald.call(method, path, { key: herald.adminKey, ...(body !== undefined ? { body } : {}) });
const defaultOf = async (appId: string) => (await admin('GET', `/v1/apps/${appId}/notifiers`)).body.notifiers.find((n: any) => n.default);
/** Who got the mail whose subject holds `subject` (one mail per recipient), once `count` have, and a moment later. */
const mailedTo = async (subject: string, count = 1) => {
  const recipients = async () => {
    const { emails } = (await herald.call('GET', '/_local/outbox/email')).body;
    return (emails as any[]).filter((m) => m.subject.includes(subject)).flatMap((m) => m.destination.to as string[]);
  };
  await eventually(async () => (await recipients()).length >= count, 10_000, `the mail "${subject}" to ${count}`);
  await new Promise((r) => setTimeout(r, 500));
  return (await recipients()).sort();
};

describe('the default notifier', () => {
  it('follows the owner: after PATCH owner.email the next crash mails the new owner, not the old one', async () => {
    const key = await herald.createApp('moved', { owner: 'old@moved.example' });
    const patched = await admin('PATCH', '/v1/apps/moved', { owner: { email: 'new@moved.example' } });
    expect(patched.status).toBe(200);
    expect((await defaultOf('moved')).target.to).toEqual(['new@moved.example']);
    await herald.call('POST', '/v1/events', { key, body: { type: 'app_crashed', title: 'moved crash 1' } });
    expect(await mailedTo('moved crash 1')).toEqual(['new@moved.example']);
  });

  it("mails the app's collaborators too, from the welcome on, and follows the list", async () => {
    const key = await herald.createApp('team', { owner: 'o@team.example', collaborators: ['a@team.example', 'b@team.example'] });
    expect(await mailedTo('Team is set up in Herald', 3)).toEqual(['a@team.example', 'b@team.example', 'o@team.example']);
    const patched = await admin('PATCH', '/v1/apps/team', { collaborators: ['b@team.example', 'c@team.example'] });
    expect(patched.body.app.collaborators).toEqual(['b@team.example', 'c@team.example']);
    await herald.call('POST', '/v1/events', { key, body: { type: 'app_crashed', title: 'team crash 1' } });
    expect(await mailedTo('team crash 1', 3)).toEqual(['b@team.example', 'c@team.example', 'o@team.example']);
    expect((await admin('PATCH', '/v1/apps/team', { collaborators: null })).body.app.collaborators).toBeUndefined();
    expect((await defaultOf('team')).target.to).toEqual(['o@team.example']);
  });

  it("keeps a user's own choice of recipients: addresses added stay, one taken out stays out", async () => {
    await herald.createApp('chosen', { owner: 'o@chosen.example', collaborators: ['a@chosen.example'] });
    const notifier = await defaultOf('chosen');
    const edited = await admin('PATCH', `/v1/apps/chosen/notifiers/${notifier.id}`, {
      target: { to: ['o@chosen.example', 'boss@chosen.example'] },
    });
    expect(edited.body.notifier).toMatchObject({ default: true, target: { to: ['o@chosen.example', 'boss@chosen.example'] } });
    await admin('PATCH', '/v1/apps/chosen', {
      owner: { email: 'o2@chosen.example' },
      collaborators: ['a@chosen.example', 'b@chosen.example'],
    });
    expect((await defaultOf('chosen')).target.to).toEqual(['boss@chosen.example', 'o2@chosen.example', 'b@chosen.example']);
  });

  it('is marked by Herald only: default cannot be set or changed, and bad collaborators are refused', async () => {
    await herald.createApp('marked');
    const notifier = await defaultOf('marked');
    const refused = await admin('PATCH', `/v1/apps/marked/notifiers/${notifier.id}`, { default: false });
    expect(refused.status).toBe(400);
    const created = await admin('POST', '/v1/apps/marked/notifiers', {
      name: 'mine',
      channel: 'email',
      target: { to: ['x@marked.example'] },
    });
    expect(created.body.notifier.default).toBe(false);
    const bad = await admin('PATCH', '/v1/apps/marked', { collaborators: ['not an address'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('collaborators.0');
    expect((await admin('GET', '/v1/apps/marked')).body.app.collaborators).toBeUndefined();
  });
});
