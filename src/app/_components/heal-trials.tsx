/** The strategies a heal round tried, as stored in HealEvent.attempts (JSON; older shapes tolerated). */
export type HealTrial = { strategy: string; matched: number | null; ms: number | null; score: number | null; reason: string | null };

export function readTrials(raw: unknown): HealTrial[] {
  if (!Array.isArray(raw)) return [];
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);
  return raw.flatMap((t: unknown) => {
    if (!t || typeof t !== "object") return [];
    const o = t as Record<string, unknown>;
    if (typeof o.strategy !== "string") return [];
    return [{ strategy: o.strategy, matched: num(o.matched), ms: num(o.ms), score: num(o.score), reason: typeof o.reason === "string" ? o.reason : null }];
  });
}

export function HealTrials({ attempts, open = false }: { attempts: unknown; open?: boolean }) {
  const trials = readTrials(attempts);
  if (trials.length === 0) return null;
  return (
    <details open={open}>
      <summary>Strategies tried ({trials.length})</summary>
      <ul>
        {trials.map((t, i) => (
          <li key={i}>
            {t.strategy}: {t.matched ?? "?"} matched, {t.ms ?? "?"} ms{t.score != null ? `, score ${t.score.toFixed(2)}` : ""}
            {t.reason ? <span className="muted"> — {t.reason}</span> : null}
          </li>
        ))}
      </ul>
    </details>
  );
}
