/**
 * The fields a silence's matcher or a notifier's grouping names, suggested as the user types:
 * the API's EVENT_FIELDS (shared/core/silences.ts, which the browser bundle cannot import),
 * then data.<path> and source.<path>. Only suggestions: Herald answers a 400 at the field for
 * any other.
 */
export const EVENT_FIELD_SUGGESTIONS = ['type', 'severity', 'title', 'message', 'fingerprint', 'check', 'status', 'data.', 'source.'];
