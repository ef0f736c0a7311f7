import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** `npm test` prints a test's log lines only when that test fails (vitest.config.ts). */
describe('the tests', () => {
  it("are quiet when they pass, and show a failing test's log lines", () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST')));
    const run = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--config', 'test/fixtures/quiet/vitest.config.ts'], {
      env: { ...env, NO_COLOR: '1' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    const output = `${run.stdout}${run.stderr}`;
    expect(output).toContain('1 failed');
    // As printed log lines (the failing test's source, shown beside its error, has the words too).
    expect(output).toContain('"probe":"LINE-OF-THE-FAILING-TEST"');
    expect(output).not.toContain('"probe":"LINE-OF-THE-PASSING-TEST"');
  }, 60_000);
});
