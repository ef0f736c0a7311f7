import { toHeraldEvent } from '../core/event.js';
import { toMessage } from '../core/routing.js';
import { renderLater } from '../core/messages/render-later.js';
import type { App, Delivery, Notifier } from '../core/types.js';
import { NotFoundError } from '../errors.js';
import type { EventInputBody } from '../schemas/event.js';
import type { HeraldDeps } from './deps.js';

export interface PreviewInput {
  appId?: string;
  notifierId?: string;
  event: Omit<EventInputBody, 'app'>;
  locale?: 'en' | 'de' | 'fr';
}

/**
 * Every part of the message an event would make, for every channel, with each placeholder
 * and its value (Appmonitor's debug preview). With an app and a notifier, their language,
 * time zone and overrides apply, as they would to a delivery.
 */
export async function previewMessage(deps: Pick<HeraldDeps, 'apps' | 'notifiers' | 'messages' | 'clock'>, input: PreviewInput) {
  const now = deps.clock();
  const app: Pick<App, 'id' | 'name' | 'metadata' | 'locale'> = input.appId
    ? ((await deps.apps.get(input.appId)) ?? notFound(`App ${input.appId}`))
    : { id: 'preview', name: 'Preview' };
  const stored = input.notifierId
    ? ((await deps.notifiers.get(input.appId ?? '*', input.notifierId)) ?? notFound(`Notifier ${input.notifierId}`))
    : undefined;
  const notifier = {
    id: 'ntf_preview',
    name: 'Preview',
    target: {},
    ...stored,
    ...(input.locale ? { locale: input.locale } : {}),
  } as Notifier;
  const event = toHeraldEvent(input.event, { id: 'evt_preview', appId: app.id }, now);

  const delivery = {
    id: 'dlv_preview',
    eventId: event.id,
    appId: app.id,
    notifierId: notifier.id,
    channel: 'email',
    recipient: '',
  } as Delivery;
  const { renderParts } = await renderLater(); // the template engine, on first use: not at the api's start
  const { locale, placeholders, ...parts } = renderParts(toMessage(delivery, event, app, notifier), deps.messages, now);
  const { t: _texts, ...values } = placeholders;
  return { locale, parts, placeholders: flatten(values) };
}

function notFound(what: string): never {
  throw new NotFoundError(what);
}

/** `{app: {name: 'Shop'}}` → `{'app.name': 'Shop'}`. */
function flatten(value: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [k, v] of Object.entries(value)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, key, out);
    else out[key] = v ?? null; // listed even when empty, so that its name shows
  }
  return out;
}
