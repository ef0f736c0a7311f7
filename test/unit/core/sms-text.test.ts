import { describe, expect, it, vi } from 'vitest';
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

  it('loads the grapheme data (Intl.Segmenter) at the first text it cuts, not when a function starts', async () => {
    const Real = Intl.Segmenter;
    let made = 0;
    const counting = class extends Real {
      constructor(...args: ConstructorParameters<typeof Real>) {
        super(...args);
        made++;
      }
    };
    const use = (value: typeof Real) => Object.defineProperty(Intl, 'Segmenter', { value, configurable: true, writable: true });
    use(counting);
    try {
      vi.resetModules();
      const fresh = await import('../../../shared/core/sms-text.js');
      fresh.fitOneSegment('short');
      expect(made).toBe(0);
      expect(fresh.fitOneSegment('🔥'.repeat(80))).toBe(`${'🔥'.repeat(34)}…`);
      fresh.fitOneSegment('🔥'.repeat(90));
      expect(made).toBe(1);
    } finally {
      use(Real);
    }
  });
});
