import { describe, expect, it } from 'vitest';
import { opsgenieApi } from '../../../shared/channels/incident/opsgenie/sender.js';

describe('Opsgenie regions', () => {
  it('sends US accounts to api.opsgenie.com and EU accounts to api.eu.opsgenie.com, unless the installation names an API', () => {
    expect(opsgenieApi({})).toBe('https://api.opsgenie.com');
    expect(opsgenieApi({ region: 'us' })).toBe('https://api.opsgenie.com');
    expect(opsgenieApi({ region: 'eu' })).toBe('https://api.eu.opsgenie.com');
    expect(opsgenieApi({ region: 'eu' }, { apiUrl: 'http://127.0.0.1:3000/_local/opsgenie/' })).toBe(
      'http://127.0.0.1:3000/_local/opsgenie',
    );
  });
});
