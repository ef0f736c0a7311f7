/**
 * How every function is bundled: one minified ESM file for Node.js 22 with the AWS SDK
 * inside. The CDK app (HeraldFunction) and the bench (bundle sizes) both use this.
 */
export const BUNDLING = {
  format: 'esm',
  target: 'node22',
  minify: true,
  mainFields: ['module', 'main'],
  // Some bundled CommonJS code calls require(); give it one in the ESM bundle.
  banner: "import { createRequire as __herald_createRequire } from 'node:module'; const require = __herald_createRequire(import.meta.url);",
} as const;

/** The folders under functions/ that are Lambda functions. */
export const FUNCTION_NAMES = ['api', 'console', 'email', 'sms', 'slack', 'webhook', 'chat', 'push', 'incident'] as const;
