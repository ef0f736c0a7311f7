/**
 * SMS length rules: one segment holds 160 GSM-7 characters (the extension table's count
 * twice), or 70 UCS-2 code units when any character falls outside GSM-7.
 */

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' + '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';

const basic = new Set(GSM_BASIC);
const extended = new Set(GSM_EXTENDED);

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export function smsEncoding(text: string): SmsEncoding {
  for (const ch of text) if (!basic.has(ch) && !extended.has(ch)) return 'UCS-2';
  return 'GSM-7';
}

/** Length as the network counts it: septets for GSM-7, UTF-16 code units for UCS-2. */
export function smsLength(text: string, encoding = smsEncoding(text)): number {
  if (encoding === 'UCS-2') return text.length;
  let n = 0;
  for (const ch of text) n += extended.has(ch) ? 2 : 1;
  return n;
}

/** Made at the first cut, not at import: ICU's grapheme data costs about 10 ms of a cold start in every function that renders messages, and only SMS text is cut. */
let segmenter: Intl.Segmenter | undefined;

/**
 * The text cut to fit one segment, ending in an ellipsis, on a grapheme boundary so that
 * no emoji or accented letter is split. Text that fits is returned as it is.
 */
export function fitOneSegment(text: string): string {
  return fitSegments(text, 1);
}

/**
 * The text cut to fit `segments` segments (a long message's segments hold 153 GSM-7
 * characters or 67 UCS-2 units each) with `reserved` characters left over, as fitOneSegment cuts.
 */
export function fitSegments(text: string, segments: number, reserved = 0): string {
  const encoding = smsEncoding(text);
  const limit = (segments === 1 ? (encoding === 'GSM-7' ? 160 : 70) : segments * (encoding === 'GSM-7' ? 153 : 67)) - reserved;
  if (smsLength(text, encoding) <= limit) return text;
  const ellipsis = encoding === 'GSM-7' ? '...' : '…';
  const room = limit - smsLength(ellipsis, encoding);
  let out = '';
  for (const { segment } of (segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' })).segment(text)) {
    if (smsLength(out + segment, encoding) > room) break;
    out += segment;
  }
  return out.trimEnd() + ellipsis;
}
