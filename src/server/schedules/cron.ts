// Cron expressions for schedules: standard 5-field crons (minute hour day month weekday) in an IANA time zone.
// Pure: validation returns clear messages for forms, and nextRunAfter gives the next fire time as a UTC Date.
// cron-parser also accepts a leading seconds field and random `H` values; we reject both on purpose: the minimum
// interval is one minute, and a schedule's next time must be the same every time it is computed.
import { CronExpressionParser } from "cron-parser";

export const MAX_CRON_LENGTH = 120;

/** Common macros, expanded to 5 fields ourselves (cron-parser's own expand to 6 fields, some to seconds). */
const MACROS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

export type CronCheck = { ok: true; cron: string; timezone: string } | { ok: false; field: "cron" | "timezone"; message: string };

let knownZones: Map<string, string> | undefined;

/**
 * The zone name to store, or null when Intl does not know it. Case is fixed from Intl's list ("europe/berlin" ->
 * "Europe/Berlin", "utc" -> "UTC"), but a valid name is otherwise kept as written: ICU's canonical form would turn
 * "Asia/Kolkata" into the legacy "Asia/Calcutta".
 */
export function normaliseTimezone(timezone: string): string | null {
  const tz = timezone.trim();
  if (tz === "") return null;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
  } catch {
    return null;
  }
  knownZones ??= new Map([...Intl.supportedValuesOf("timeZone"), "UTC"].map((z) => [z.toLowerCase(), z]));
  return knownZones.get(tz.toLowerCase()) ?? tz;
}

function expand(expr: string): string {
  const e = expr.trim().replace(/\s+/g, " ");
  return MACROS[e.toLowerCase()] ?? e;
}

/**
 * Checks a cron expression and time zone. On success returns the normalised forms to store (collapsed spaces,
 * macros kept as written, canonical zone name).
 */
export function validateCron(expr: string, timezone: string): CronCheck {
  const cron = expr.trim().replace(/\s+/g, " ");
  if (cron === "") return { ok: false, field: "cron", message: "Cron expression is required" };
  if (cron.length > MAX_CRON_LENGTH) {
    return { ok: false, field: "cron", message: `Cron expression is limited to ${MAX_CRON_LENGTH} characters` };
  }
  const expanded = expand(cron);
  if (expanded.startsWith("@")) {
    return { ok: false, field: "cron", message: `Unknown cron macro "${cron}" (use ${Object.keys(MACROS).join(", ")})` };
  }
  const fields = expanded.split(" ");
  if (fields.length === 6) {
    return {
      ok: false,
      field: "cron",
      message: "Cron must have 5 fields (minute hour day month weekday); seconds are not supported, the minimum interval is 1 minute",
    };
  }
  if (fields.length !== 5) {
    return { ok: false, field: "cron", message: `Cron must have 5 fields (minute hour day month weekday), got ${fields.length}` };
  }
  // `H`, `H/5`, `1,H(0-29)`: a standalone H token (THU contains an H but is a weekday name).
  if (/(^|[ ,/-])h(?![a-z])/i.test(expanded)) {
    return { ok: false, field: "cron", message: "Random (H) values are not supported in cron expressions" };
  }
  const tz = normaliseTimezone(timezone);
  if (!tz) return { ok: false, field: "timezone", message: `Unknown time zone "${timezone.trim()}" (use an IANA name such as UTC or Europe/Berlin)` };
  try {
    // Parsing alone misses zones Intl knows but the date library does not; computing one time checks both.
    CronExpressionParser.parse(expanded, { tz, currentDate: new Date() }).next();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    if (/unhandled timestamp|invalid date/i.test(reason)) {
      return { ok: false, field: "timezone", message: `Unknown time zone "${timezone.trim()}" (use an IANA name such as UTC or Europe/Berlin)` };
    }
    return { ok: false, field: "cron", message: `Invalid cron expression "${cron}": ${reason}` };
  }
  return { ok: true, cron, timezone: tz };
}

/** The first fire time strictly after `after`, as a UTC instant. Throws on an invalid expression or zone. */
export function nextRunAfter(expr: string, timezone: string, after: Date): Date {
  return CronExpressionParser.parse(expand(expr), { tz: timezone, currentDate: after }).next().toDate();
}
