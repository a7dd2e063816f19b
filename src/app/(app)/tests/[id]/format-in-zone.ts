/**
 * A time in a schedule's own zone, e.g. "Mar 30, 2025, 09:00 CEST". Intl refuses `timeZoneName` together with
 * `dateStyle`/`timeStyle`, so the fields are spelled out.
 */
export function formatInZone(date: Date, timeZone: string, locale?: string): string {
  try {
    return new Intl.DateTimeFormat(locale, {
      year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZone, timeZoneName: "short",
    }).format(date);
  } catch {
    return date.toISOString();
  }
}
