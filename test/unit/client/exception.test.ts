import { describe, expect, it } from 'vitest';
import { exceptionEvent } from '@herald/client';

/** The exception event notifyError sends: grouped by type and top frame, secrets out. */
const thrownAt = (message: string) => {
  try {
    throw new TypeError(message); // one place, several messages
  } catch (error) {
    return error as Error;
  }
};

describe('exceptionEvent', () => {
  it('groups errors of one type thrown at one place, whatever their message, and tells others apart', () => {
    const a = exceptionEvent(thrownAt('cart 1 is undefined'));
    const b = exceptionEvent(thrownAt('cart 2 is undefined'));
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.fingerprint).toMatch(/^TypeError@.*exception\.test\.ts:\d+:\d+/);
    expect(exceptionEvent(new RangeError('cart 1 is undefined')).fingerprint).not.toBe(a.fingerprint);
    expect(a).toMatchObject({ type: 'exception', title: 'TypeError: cart 1 is undefined' });
    expect((a.data as { stack: string }).stack).toContain('TypeError: cart 1 is undefined');
  });

  it("takes out a terminal's colour codes and the control characters Herald refuses, in every string and key", () => {
    const event = exceptionEvent(new Error('\u001b[31mred\u001b[0m alert\u0007'), {
      custom: { 'out\u0000put': 'tab\tand\nnewline kept, \u009b and \u007f not' },
    });
    expect(event.title).toBe('Error: red alert');
    expect(event.data).toMatchObject({ message: 'red alert', custom: { output: 'tab\tand\nnewline kept,  and  not' } });
    expect(JSON.stringify(event)).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/);
  });

  it('redacts authorization, cookies, passwords and tokens, at any depth and in the URL', () => {
    const event = exceptionEvent(new Error('x'), {
      http: {
        url: 'https://user:pw@shop.example/login?token=abc&page=2&api_key=k',
        method: 'POST',
        headers: { Authorization: 'Bearer hrd_app_x', cookie: 'sid=1', 'x-request-id': 'r1' },
      },
      custom: { user: { id: 7, password: 'hunter2', profile: { accessToken: 't' } } },
    });
    const text = JSON.stringify(event);
    for (const secret of ['hrd_app_x', 'sid=1', 'hunter2', '"t"', 'abc', 'pw@', 'api_key=k']) expect(text).not.toContain(secret);
    expect(event.data).toMatchObject({
      http: { url: 'https://[redacted]@shop.example/login?token=[redacted]&page=2&api_key=[redacted]', headers: { 'x-request-id': 'r1' } },
      custom: { user: { id: 7, password: '[redacted]', profile: { accessToken: '[redacted]' } } },
    });
  });

  it('takes anything thrown: a string, an object, a cycle', () => {
    expect(exceptionEvent('plain string').title).toBe('NonError: plain string');
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    expect(() => exceptionEvent(new Error('x'), { custom: cyclic })).not.toThrow();
  });
});
