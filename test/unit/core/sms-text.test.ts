import { describe, expect, it } from 'vitest';
import { fitOneSegment, smsEncoding, smsLength } from '../../../shared/core/sms-text.js';

describe('SMS text in one segment', () => {
  it('keeps a GSM-7 text of 160 characters whole, and cuts 161 to 160 with "..."', () => {
    const text = 'a'.repeat(160);
    expect(fitOneSegment(text)).toBe(text);
    const cut = fitOneSegment('b'.repeat(161));
    expect(cut).toBe(`${'b'.repeat(157)}...`);
    expect(smsLength(cut)).toBe(160);
  });

  it('counts the extension table (€, [, ]) as two septets', () => {
    expect(smsEncoding('price: 5€ [ok]')).toBe('GSM-7');
    expect(smsLength('€[]')).toBe(6);
    expect(smsLength(fitOneSegment('€'.repeat(100)))).toBeLessThanOrEqual(160);
  });

  it('falls to 70 UCS-2 units when a character is outside GSM-7, and never splits an emoji', () => {
    expect(smsEncoding('server down 🔥')).toBe('UCS-2');
    const cut = fitOneSegment('🔥'.repeat(50));
    expect(cut.length).toBeLessThanOrEqual(70);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut.slice(0, -1)).toBe('🔥'.repeat((cut.length - 1) / 2));
    const family = '👨‍👩‍👧'; // one grapheme of 8 code units
    const out = fitOneSegment(`${'x'.repeat(60)}${family}${family}`);
    expect(out).toBe(`${'x'.repeat(60)}${family}…`);
  });
});
