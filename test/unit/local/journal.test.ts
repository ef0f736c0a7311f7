import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../infra/local/engine/engine.js';

/**
 * The embedded store's journal (infra/local/engine/journal.ts): what was answered is kept,
 * whatever the process died of, and a snapshot with the journal after it replays to the
 * same state.
 */
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'herald-journal-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const journalOf = (d: string) => join(d, readdirSync(d).find((n) => n.startsWith('journal-')) as string);
const state = (engine: Engine) => ({ items: [...engine.table.entries()], messages: [...engine.queues.entries()] });

describe('the journal', () => {
  it('replays every change that was answered; a last line cut short by a kill loses only that change', async () => {
    const engine = await Engine.open({ dir });
    engine.table.put('APP#a', '#APP', { pk: 'APP#a', sk: '#APP', name: 'A' });
    engine.queues.send('webhook', 'm1', { v: 2, deliveries: [] });
    engine.table.put('APP#b', '#APP', { pk: 'APP#b', sk: '#APP', name: 'B' });
    await engine.close();
    // A kill in the middle of the last write: half of its line reached the file.
    const path = journalOf(dir);
    truncateSync(path, statSync(path).size - 10);

    const reopened = await Engine.open({ dir });
    expect(reopened.table.get('APP#a', '#APP')).toEqual({ pk: 'APP#a', sk: '#APP', name: 'A' });
    expect(reopened.queues.count('webhook')).toBe(1);
    expect(reopened.table.get('APP#b', '#APP')).toBeUndefined();
    // The cut line is gone, so what comes next starts on a line of its own and replays.
    reopened.table.put('APP#c', '#APP', { pk: 'APP#c', sk: '#APP', name: 'C' });
    await reopened.close();
    const again = await Engine.open({ dir });
    expect(again.table.get('APP#c', '#APP')).toMatchObject({ name: 'C' });
    await again.close();
  });

  it('says a change is durable only once it is written (group commit: what came meanwhile goes in one write)', async () => {
    const engine = await Engine.open({ dir });
    // A write hands back nothing to wait for (awaiting it said nothing of the disk): durable() is the one wait.
    for (let i = 0; i < 200; i++) expect(engine.table.put('CNT#x', `k${i}`, { n: i })).toBeUndefined();
    const onDisk = () =>
      readFileSync(journalOf(dir), 'utf8')
        .split('\n')
        .filter((l) => l.includes('CNT#x')).length;
    expect(onDisk()).toBe(0); // made in memory, not written yet
    await engine.durable();
    expect(onDisk()).toBe(200);
    await engine.close();
  });

  it('compacts into a snapshot, and a snapshot with the journal after it replays to the same state', async () => {
    let now = Date.parse('2026-11-01T00:00:00Z');
    const engine = await Engine.open({ dir, now: () => now });
    for (let i = 0; i < 50; i++) engine.table.put(`EVT#a`, `evt_${i}`, { pk: 'EVT#a', sk: `evt_${i}`, i });
    engine.queues.send('email', 'm1', { v: 2, deliveries: [] }, 60);
    const [taken] = engine.queues.receive('email', 1).concat(...[]);
    expect(taken).toBeUndefined(); // delayed
    now += 61_000;
    const [received] = engine.queues.receive('email', 1);
    await engine.compact();
    // Changes after the snapshot go to the next journal.
    engine.table.delete('EVT#a', 'evt_3');
    engine.queues.changeVisibility(received!.id, received!.receipt, 30);
    const before = state(engine);
    await engine.close();
    expect(readdirSync(dir).filter((n) => n.startsWith('snapshot-'))).toHaveLength(1);
    expect(readdirSync(dir).filter((n) => n.startsWith('journal-'))).toHaveLength(1);

    const reopened = await Engine.open({ dir, now: () => now });
    expect(state(reopened)).toEqual(before);
    expect(reopened.queues.receive('email', 1)).toEqual([]); // still hidden for 30 s
    now += 31_000;
    expect(reopened.queues.receive('email', 1)).toHaveLength(1);
    await reopened.close();
  });

  it('refuses a store written by a newer version rather than read it wrong', async () => {
    const engine = await Engine.open({ dir });
    await engine.close();
    const path = journalOf(dir);
    rmSync(path);
    appendFileSync(path, `${JSON.stringify({ herald: 'store', v: 99 })}\n`);
    await expect(Engine.open({ dir })).rejects.toThrow(/newer version/);
  });
});
