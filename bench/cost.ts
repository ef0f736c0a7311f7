/**
 * `npm run bench:cost`: only the AWS part of `npm run bench` (calls, write units, $ per
 * million events), in about a minute, for a change to what the functions call or log.
 * Saves nothing: `npm run bench` keeps the figures.
 */
Object.assign(process.env, { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', HERALD_LOG_FORMAT: 'json' });
delete process.env['POWERTOOLS_DEV'];

const RETENTION_DAYS = 30;
const { readStackSettings } = await import('./stack-settings.js');
const report = await import('./report.js');
const { SdkMeter } = await import('./aws/sdk-meter.js');
const { tableDefinition } = await import('./aws/write-units.js');
const { TABLE } = await import('../shared/resources.js');
const { runAwsScenarios } = await import('./aws/scenarios.js');
const { TABLE_NAME } = await import('./aws/lambdas.js');

const stack = readStackSettings();
const meter = new SdkMeter(tableDefinition(TABLE), TABLE_NAME);
meter.install();
const aws = await runAwsScenarios(stack.functions, meter, RETENTION_DAYS);
report.printCalls(aws);
report.printCosts(aws, stack);
report.printAssumptions(aws, stack, RETENTION_DAYS);
process.exit(0);
