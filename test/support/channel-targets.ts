import type { ChannelName } from '../../shared/core/types.js';

const TOKEN = 'Sec7etSec7etSec7etSec7et';

/** A valid target of each channel, as an admin would give it, and the secrets it holds (none for some). */
export const TARGETS_WITH_SECRETS: Record<ChannelName, { target: Record<string, unknown>; secrets: string[] }> = {
  email: { target: { to: ['ops@example.com'] }, secrets: [] },
  sms: { target: { to: ['+4915112345678'] }, secrets: [] },
  twilio_sms: { target: { to: ['+4915112345678'] }, secrets: [] },
  twilio_voice: { target: { to: ['+4915112345678'] }, secrets: [] },
  twilio_whatsapp: { target: { to: ['+4915112345678'] }, secrets: [] },
  vonage: { target: { to: ['+4915112345678'] }, secrets: [] },
  slack: { target: { url: `https://hooks.slack.com/services/T0123ABCD/B0123ABCD/${TOKEN}/` }, secrets: [TOKEN] },
  webhook: {
    target: {
      url: `https://relay.example/hooks/${TOKEN}/receive`,
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      previousSecrets: [{ secret: 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0IQ==', until: '2026-11-25T10:00:00Z' }],
      headers: { Authorization: 'Bearer hdrT0kenT0kenT0ken' },
    },
    secrets: [TOKEN, 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0IQ==', 'Bearer hdrT0kenT0kenT0ken'],
  },
  discord: { target: { url: `https://discord.com/api/webhooks/123456789012345678/${TOKEN}` }, secrets: [TOKEN] },
  teams: {
    target: {
      url: `https://prod-00.westus.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=${TOKEN}`,
    },
    secrets: [TOKEN],
  },
  google_chat: {
    target: { url: `https://chat.googleapis.com/v1/spaces/AAAA/messages?key=AIzaKeyKeyKey&token=${TOKEN}` },
    secrets: [TOKEN],
  },
  mattermost: { target: { url: 'https://chat.example/hooks/abcdefghijklmnopqrstuvwxyz' }, secrets: ['abcdefghijklmnopqrstuvwxyz'] },
  rocketchat: { target: { url: `https://chat.example/hooks/AbCdEfGhIjKl/${TOKEN}` }, secrets: [TOKEN] },
  telegram: { target: { chatId: '-1001234567890' }, secrets: [] },
  ntfy: { target: { topic: 'alerts-Sec7etTopic', token: `tk_${'a'.repeat(29)}` }, secrets: ['Sec7etTopic', 'a'.repeat(29)] },
  gotify: { target: { serverUrl: 'https://gotify.example', appToken: 'AbCdEfGhIjKlMnO' }, secrets: ['bCdEfGhIjKlMnO'] },
  pushover: { target: { userKey: 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG' }, secrets: ['uQiRzpo4DXghDmr9QzzfQu27cmVRsG'] },
  onesignal: { target: { externalIds: ['user-42'] }, secrets: [] },
  pusher_beams: { target: { users: ['user-42'] }, secrets: [] },
  pushbullet: { target: { accessToken: `o.${'Ab1'.repeat(10)}xy` }, secrets: [`${'Ab1'.repeat(10)}xy`] },
  web_push: {
    target: {
      subscriptions: [
        {
          endpoint: `https://fcm.googleapis.com/fcm/send/${TOKEN}`,
          keys: { p256dh: `B${'A'.repeat(86)}`, auth: 'A'.repeat(22) },
        },
      ],
    },
    secrets: [TOKEN, 'A'.repeat(22)],
  },
  pagerduty: { target: { routingKey: 'R0UT1NGKEYsecretsecretsecret4711' }, secrets: ['R0UT1NGKEYsecretsecretsecret4711'] },
  opsgenie: { target: { apiKey: '8d6c1e1a-7c7b-4a2e-9a3e-3b5f0c1d2e3f' }, secrets: ['8d6c1e1a-7c7b-4a2e-9a3e-3b5f0c1d2e3f'] },
};

/** Whether `shown` hides the secret: no 5 of its characters in a row (a mask shows at most a 4-character prefix). */
export const hidesSecret = (shown: string, secret: string): boolean =>
  Array.from({ length: Math.max(0, secret.length - 4) }, (_, i) => secret.slice(i, i + 5)).every((part) => !shown.includes(part));
