// `?since=` for the JSON metrics: an ISO date/time (2026-11-01, 2026-11-01T12:00:00Z) or a duration back from
// now (30m, 24h, 7d, 4w). Anything else is a 400.
import { z } from "zod";

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const DURATION = /^(\d{1,6})([mhdw])$/;
// Date, or date-time with optional seconds/fraction and a Z or ±hh:mm offset (no zone = UTC for date-only).
const ISO = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;
const MAX_BACK_MS = 20 * 365 * 86_400_000;

export function parseSince(raw: string, now: Date = new Date()): Date | null {
  const s = raw.trim();
  const d = DURATION.exec(s);
  if (d) {
    const ms = Number(d[1]) * UNIT_MS[d[2] as keyof typeof UNIT_MS];
    if (ms <= 0 || ms > MAX_BACK_MS) return null;
    return new Date(now.getTime() - ms);
  }
  if (!ISO.test(s)) return null;
  const t = Date.parse(s);
  if (!Number.isFinite(t)) return null;
  // Date.parse rolls 2026-02-31 over to March; reject dates that do not round-trip.
  if (new Date(t).toISOString().slice(0, 10) !== s.slice(0, 10) && s.length === 10) return null;
  return new Date(t);
}

/** The query string of a JSON metrics request: `since` optional. */
export const ZMetricsQuery = z.object({
  since: z
    .string()
    .max(40)
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return null;
      const d = parseSince(v);
      if (!d) {
        ctx.addIssue({ code: "custom", message: "since must be an ISO date/time (2026-11-01, 2026-11-01T12:00:00Z) or a duration like 30m, 24h, 7d, 4w" });
        return z.NEVER;
      }
      return d;
    }),
});
