import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { herald, startCliHerald, type CliHerald } from '../support/cli.js';

/** `herald notifiers add|edit --rate --burst` against `npm start`: the notifier's own pace, shown, and removed again. */
let shop: CliHerald;
let env: Record<string, string>;

beforeAll(async () => {
  shop = await startCliHerald('shop');
  ({ env } = shop);
});
afterAll(() => shop?.stop());

describe('herald notifiers with a rate', () => {
  it('add --rate 1 --burst 3 paces it; show says so; edit --no-rate goes back to the provider rate; --burst alone is refused', async () => {
    const url = `${shop.receiver.url}/paced`;
    const add = await herald(
      ['notifiers', 'add', '--name', 'Paced', '--channel', 'webhook', '--target-url', url, '--rate', '1', '--burst', '3'],
      { env },
    );
    expect(add.code, add.stderr).toBe(0);
    const id = /ntf_\w+/.exec(add.stdout)?.[0] as string;
    expect((await herald(['notifiers', 'show', id, '--json'], { env })).json.notifier.rate).toEqual({ perSecond: 1, burst: 3 });
    expect((await herald(['notifiers', 'show', id], { env })).stdout).toMatch(/^rate:\s+at most 1\/s, bursts of 3$/m);

    const edit = await herald(['notifiers', 'edit', id, '--no-rate'], { env });
    expect(edit.code, edit.stderr).toBe(0);
    expect((await herald(['notifiers', 'show', id], { env })).stdout).toMatch(/^rate:\s+the provider's published rate/m);

    const bad = await herald(['notifiers', 'edit', id, '--burst', '3'], { env });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--burst goes with --rate');
    const refused = await herald(['notifiers', 'edit', id, '--rate', '0'], { env });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('rate.perSecond');
  }, 60_000);
});
