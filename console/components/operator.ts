/**
 * Who the operator is, as they typed it last time in this browser (a silence's or an
 * incident's "By"): one name for every form, so that it is typed once.
 */
const BY = 'herald.by';
/** Where the silence form kept it before the incidents' dialog shared it. */
const SILENCE_BY = 'herald.silenceBy';

export const lastBy = (): string => localStorage.getItem(BY) ?? localStorage.getItem(SILENCE_BY) ?? '';

export function rememberBy(by: string): void {
  if (by.trim()) localStorage.setItem(BY, by.trim());
}
