import { renderParts } from '../../../core/messages/render.js';
import type { Channel } from '../../channel.js';
import { providerSettings, withSender } from '../../channel.js';
import { answerJson, judge, sendHttp } from '../../http-post.js';
import type { OnesignalTarget } from './target.js';
import { addressing } from './addressing.js';

/**
 * OneSignal push through the installation's app (`onesignal.appId`, `onesignal.apiKey`):
 * one notification per user, by external id, heading and contents in English and in the
 * notifier's language. OneSignal answers 200 with no id when the user has no subscribed
 * device: a permanent failure, said as such.
 */
export const sender: Channel<OnesignalTarget> = withSender(addressing, {
  async send(message, context) {
    const settings = providerSettings(context, 'onesignal');
    const parts = renderParts(message, context.messages, context.now());
    const link = parts.placeholders['link'];
    const call = {
      url: `${(settings.apiUrl ?? 'https://api.onesignal.com').replace(/\/$/, '')}/notifications?c=push`,
      label: 'OneSignal notifications',
      readBody: true,
      headers: { authorization: `Key ${settings.apiKey}` },
      body: JSON.stringify({
        app_id: settings.appId,
        target_channel: 'push',
        include_aliases: { external_id: [message.delivery.recipient] },
        headings: { en: parts.chat.title, [parts.locale]: parts.chat.title },
        contents: { en: parts.chat.body, [parts.locale]: parts.chat.body },
        priority: message.event.severity === 'info' ? 5 : 10,
        ...(typeof link === 'string' ? { url: link } : {}),
      }),
    };
    const answer = await sendHttp(call, context);
    const json = answerJson<{ id: string; errors: unknown }>(answer);
    const errors = json?.errors === undefined ? undefined : JSON.stringify(json.errors);
    const unsent = answer.status < 300 && !json?.id;
    return judge(answer, call, context, {
      detail: errors ?? (unsent ? 'no notification made' : undefined),
      ...(unsent ? { failedAs: 'permanent' as const } : {}),
    });
  },
});
