// zod as Herald's function bundles have it (infra/bundling.ts aliases `zod` here): zod's
// own entry (node_modules/zod/index.js) over the namespace of ./namespace.js, which is
// zod's classic namespace without its 40 locales. See ./namespace.js for why.
import * as z from './namespace.js';
export * from './namespace.js';
export { z, z as default };
