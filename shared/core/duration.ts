/** How durations read in messages; `{n}` is the number. */
export interface DurationUnits {
  seconds: string;
  minutes: string;
  hours: string;
  days: string;
}

export const ENGLISH_UNITS: DurationUnits = { seconds: '{n} s', minutes: '{n} min', hours: '{n} h', days: '{n} days' };

/** 90 → "90 s", 660 → "11 min", 9000 → "2.5 h", 259200 → "3 days". */
export function formatDuration(seconds: number, units: DurationUnits = ENGLISH_UNITS): string {
  if (seconds < 120) return units.seconds.replace('{n}', String(seconds));
  if (seconds < 7200) return units.minutes.replace('{n}', String(Math.round(seconds / 60)));
  if (seconds < 172_800) return units.hours.replace('{n}', String(Math.round(seconds / 360) / 10));
  return units.days.replace('{n}', String(Math.round(seconds / 8640) / 10));
}
