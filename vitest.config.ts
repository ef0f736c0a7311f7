import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The workspace packages' TypeScript source (their "source" export), not their last build.
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    // Says when the browser tests are skipped (no Chromium), and how to install it.
    globalSetup: ['test/support/browser-check.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // A passing test prints nothing; a failing one shows its console output, the logger's lines included (POWERTOOLS_DEV below).
    silent: 'passed-only',
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      // Powertools' switch for tests: the logger writes through the console, which vitest holds back for passing tests.
      POWERTOOLS_DEV: 'true',
      HERALD_LOG_FORMAT: 'json',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
    },
  },
});
