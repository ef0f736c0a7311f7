import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeptList, keptValue } from '../../../infra/local/kept.js';

/** Local mode's outboxes and stand-in state in the data dir: read back after a restart, and bounded. */

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'herald-kept-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('a kept list', () => {
  it('reads back the latest items after a restart, and its file stays bounded', () => {
    const file = join(dir, 'outbox', 'sms.jsonl');
    const list = new KeptList<{ n: number }>(file, 100);
    for (let n = 1; n <= 450; n++) list.push({ n });
    expect(list.items.map((i) => i.n)).toEqual(Array.from({ length: 100 }, (_, i) => 351 + i));
    expect(readFileSync(file, 'utf8').trim().split('\n').length).toBeLessThanOrEqual(200);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const again = new KeptList<{ n: number }>(file, 100);
    expect(again.items.map((i) => i.n)).toEqual(list.items.map((i) => i.n));
  });

  it('skips a line a crash cut short, and a reset empties the file', () => {
    const file = join(dir, 'mail.jsonl');
    new KeptList<{ n: number }>(file).push({ n: 1 }, { n: 2 });
    appendFileSync(file, '{"n":');
    const list = new KeptList<{ n: number }>(file);
    expect(list.items).toEqual([{ n: 1 }, { n: 2 }]);
    list.reset();
    expect(new KeptList(file).items).toEqual([]);
  });
});

describe('a kept value', () => {
  it('is read back after a restart', () => {
    const file = join(dir, 'stand-ins', 'web_push.json');
    keptValue<{ a: number }>(file).save({ a: 1 });
    expect(keptValue<{ a: number }>(file).value).toEqual({ a: 1 });
    expect(keptValue(join(dir, 'none.json')).value).toBeUndefined();
  });
});
