import { describe, expect, it } from 'vitest';
import { toHeraldEvent } from '../../../shared/core/event.js';

const severityOf = (type: string, data?: Record<string, unknown>, severity?: 'info' | 'warning' | 'critical') =>
  toHeraldEvent({ type, ...(data ? { data } : {}), ...(severity ? { severity } : {}) }, { id: 'evt_1', appId: 'shop' }, new Date())
    .severity;

describe('the severity of a status event posted without one', () => {
  it('follows the status: ERROR and DOWN critical, WARNING warning, OK and recoveries info', () => {
    expect(severityOf('check.status_changed', { check: 'api', status: 'ERROR' })).toBe('critical');
    expect(severityOf('check.status_changed', { check: 'api', status: 'warning' })).toBe('warning');
    expect(severityOf('check.status_changed', { check: 'api', status: 'OK' })).toBe('info');
    expect(severityOf('monitor.down', { target: 'https://shop.example.com' })).toBe('critical');
    expect(severityOf('monitor.degraded')).toBe('warning');
    expect(severityOf('monitor.recovery')).toBe('info');
    expect(severityOf('server.backon', { server: 'web-1' })).toBe('info');
  });

  it("is the catalog's for a status it does not know, and the app's when given", () => {
    expect(severityOf('check.status_changed', { check: 'api', status: 'UNKNOWN' })).toBe('warning');
    expect(severityOf('check.status_changed', { check: 'api', status: 'ERROR' }, 'warning')).toBe('warning');
  });
});
