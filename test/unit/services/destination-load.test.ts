import { describe, expect, it } from 'vitest';
import { DestinationLoad, destinationOf } from '../../../shared/services/destination-load.js';

const limits = { maxInFlight: 4, maxInFlightWhenSlow: 1, slowAfterMs: 3000, slowForMs: 60_000 };

describe('what a destination may hold of a process', () => {
  it('is a few attempts at once, more when it answers fast', () => {
    let now = 0;
    const load = new DestinationLoad(limits, () => now);
    const held = [1, 2, 3, 4].map(() => load.take('a.example'));
    expect(held.every(Boolean)).toBe(true);
    expect(load.take('a.example')).toBeUndefined();
    expect(load.take('b.example')).toBeDefined(); // another destination has its own room
    held[0]!(20);
    expect(load.take('a.example')).toBeDefined();
  });

  it('is one at a time for a minute once an attempt was slow', () => {
    let now = 0;
    const load = new DestinationLoad(limits, () => now);
    load.take('slow.example')!(10_000);
    const first = load.take('slow.example');
    expect(first).toBeDefined();
    expect(load.take('slow.example')).toBeUndefined();
    first!(10_000);
    now += 61_000;
    expect([1, 2, 3].map(() => load.take('slow.example')).every(Boolean)).toBe(true);
  });

  it('finds a destination slow while its attempt is still under way', () => {
    let now = 0;
    const load = new DestinationLoad(limits, () => now);
    expect(load.take('hang.example')).toBeDefined();
    now += 3500;
    expect(load.take('hang.example')).toBeUndefined();
  });

  it('takes a URL by its host, anything else by channel and recipient', () => {
    expect(destinationOf({ channel: 'webhook', recipient: 'https://hooks.example.com:8443/a/b?c' })).toBe('hooks.example.com:8443');
    expect(destinationOf({ channel: 'email', recipient: 'ops@example.com' })).toBe('email:ops@example.com');
  });
});
