export { HeraldApi, HeraldApiError, type Answer, type ApiOptions, type CallArgs, type Method, type PathOf } from './api.js';
export type { components, paths } from './schema.js';
