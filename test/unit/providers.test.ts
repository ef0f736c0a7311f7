import { describe, expect, it } from 'vitest';
import { parseProviderSettings } from '../../shared/providers.js';

/** providers.json as an operator writes it (README, "Provider settings"): its shape outlives versions. */
describe('the provider settings', () => {
  const every = {
    telegram: { botToken: '1:abc', apiUrl: 'http://127.0.0.1:1/telegram' },
    twilio: { accountSid: 'AC1', authToken: 't', from: '+15005550006', whatsappFrom: '+15005550007' },
    vonage: { apiKey: 'k', apiSecret: 's', from: 'Herald' },
    pushover: { appToken: 'a' },
    onesignal: { appId: 'i', apiKey: 'k' },
    pusherBeams: { instanceId: 'i', secretKey: 's' },
    webPush: { publicKey: 'p', privateKey: 'q', subject: 'mailto:ops@example.com' },
    pagerduty: { apiUrl: 'http://127.0.0.1:1/pagerduty' },
    opsgenie: {},
    ntfy: { serverUrl: 'https://ntfy.example', token: 'tk_x' },
    pushbullet: {},
  };

  it('reads every provider, with its optional fields', () => {
    expect(parseProviderSettings(JSON.stringify(every), 'test')).toEqual(every);
  });

  it('names what is wrong: an unknown provider, a missing field, a value that is not a string', () => {
    const error = (json: unknown) => () => parseProviderSettings(JSON.stringify(json), 'test');
    expect(error({ slack: {} })).toThrow('Herald: the provider settings (test) name an unknown provider "slack"');
    expect(error({ vonage: { apiKey: 'k' } })).toThrow('Herald: the provider settings of vonage lack apiSecret, from');
    expect(error({ telegram: { botToken: 42 } })).toThrow('Herald: telegram.botToken must be a non-empty string');
    expect(error({ telegram: 'token' })).toThrow('Herald: the provider settings of telegram must be an object');
  });

  it('takes a name every object has (toString) for the unknown provider it is', () => {
    expect(() => parseProviderSettings('{"toString": {}}', 'test')).toThrow('name an unknown provider "toString"');
  });

  it('takes rates for pacing (the SES account, any channel) and names a rate it cannot read or a channel that is none', () => {
    expect(parseProviderSettings('{"ses": {"rate": "14/s"}, "pacing": {"slack": "1/s burst 3", "teams": "20/min"}}', 'test')).toEqual({
      ses: { rate: '14/s' },
      pacing: { slack: '1/s burst 3', teams: '20/min' },
    });
    expect(() => parseProviderSettings('{"ses": {"rate": "fast"}}', 'test')).toThrow('ses.rate must be a rate such as "14/s"');
    expect(() => parseProviderSettings('{"pacing": {"slack": "often"}}', 'test')).toThrow('pacing.slack must be a rate');
    expect(() => parseProviderSettings('{"pacing": {"carrier_pigeon": "1/s"}}', 'test')).toThrow('pacing.carrier_pigeon names no channel');
    // One an hour at the slowest (a slower pace holds deliveries for days), 1000/s at the fastest.
    expect(() => parseProviderSettings('{"pacing": {"webhook": "0.001/min"}}', 'test')).toThrow('pacing.webhook must be a rate');
    expect(() => parseProviderSettings('{"ses": {"rate": "5000/s"}}', 'test')).toThrow('ses.rate must be a rate');
    expect(parseProviderSettings('{"pacing": {"webhook": "0.017/min"}}', 'test')).toEqual({ pacing: { webhook: '0.017/min' } });
  });
});
