export { HeraldApi, HeraldApiError, type Answer, type ApiOptions, type CallArgs, type ErrorBody, type Method, type PathOf } from './api.js';
export { Herald, type EventAccepted, type EventFields, type Heartbeats, type HeraldOptions } from './herald.js';
export { fetchWithTimeout, HeraldNetworkError, isRetryable, withRetries, type RetryOptions } from './retry.js';
export { exceptionEvent, type ErrorContext } from './exception.js';
export { heraldExpress, heraldKoa, isServerError, statusOf, type MiddlewareOptions } from './middleware.js';
export type { components, paths } from './schema.js';
export { HeraldSources, type CreatedSource, type Source, type SourceInput, type SourceKind } from './sources.js';
export { GLOBAL_SILENCE, HeraldSilences, type Silence, type SilenceInput, type SilenceMatcher, type SilencePreview } from './silences.js';
export {
  HeraldIncidents,
  type Incident,
  type IncidentAction,
  type IncidentPage,
  type IncidentQuery,
  type IncidentStatus,
} from './incidents.js';
export {
  HeraldContacts,
  INSTALLATION_WIDE,
  type ChangedContact,
  type Contact,
  type ContactGroup,
  type ContactGroupInput,
  type ContactGroupPatch,
  type ContactInput,
  type ContactPatch,
  type GeneratedSecret,
} from './contacts.js';
