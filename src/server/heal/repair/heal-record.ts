// Persists what healing did: one HealEvent per attempt (strategies tried with scores and times,
// chosen fingerprint, old → new selector, a screenshot), and heal history per strategy so re-probe order learns.
// Recording never fails a step: a DB or screenshot error is logged and the heal result stands.
import type { Page } from "playwright-core";
import type { PrismaClient } from "@/generated/prisma/client";
import { recordHealOutcome } from "../../cache/heal-history";
import { logger } from "../../logger";
import { recordHealAttempt as recordHealMetric } from "../../metrics/rollups";
import { writeArtifact } from "../../storage/artifact-store";
import type { HealAttempt } from "./healer";

export type HealRecordKey = { runId: string; stepIdx: number; teamId: string; urlPattern: string; elementName: string };

export async function recordHealAttempt(db: PrismaClient, page: Page, key: HealRecordKey, a: HealAttempt, oldSelector: string | undefined): Promise<void> {
  try {
    let screenshotArtifactId: string | null = null;
    const bytes = await page.screenshot({ timeout: 3000 }).catch(() => null);
    if (bytes) {
      const art = await writeArtifact(db, {
        runId: key.runId, stepIdx: key.stepIdx, type: "SCREENSHOT", name: `heal-${key.stepIdx}-r${a.round}-${Date.now()}.png`, bytes, mime: "image/png",
      });
      screenshotArtifactId = art.id;
    }
    const strategy = a.candidate?.strategy ?? a.kind;
    // The event row, the run's counter and the heal metrics move together: one transaction.
    await db.$transaction(async (tx) => {
      await tx.healEvent.create({
        data: {
          runId: key.runId,
          stepIdx: key.stepIdx,
          round: a.round,
          elementName: key.elementName,
          urlPattern: key.urlPattern,
          outcome: a.outcome,
          strategy,
          oldSelector: oldSelector ?? null,
          newSelector: a.candidate?.selector ?? null,
          score: a.score ?? null,
          verified: a.verified,
          attempts: a.tried.map((t) => ({ strategy: t.strategy, family: t.family ?? null, score: t.score ?? null, ms: t.ms, selector: t.selector ?? null, matched: t.count, reason: t.reason ?? null })),
          chosen: a.chosen ? JSON.parse(JSON.stringify({ ...a.chosen, evidence: a.families, note: a.note })) : { note: a.note },
          durationMs: a.durationMs,
          screenshotArtifactId,
        },
      });
      await tx.run.update({ where: { id: key.runId }, data: { healEventCount: { increment: 1 } } });
      await recordHealMetric(tx, { teamId: key.teamId, strategy, outcome: a.outcome, durationMs: a.durationMs });
    });
  } catch (err) {
    logger.warn({ err, runId: key.runId, stepIdx: key.stepIdx }, "could not record heal attempt");
  }
}

/** Heal history: the winning strategy succeeded; strategies that were tried and found nothing failed. */
export async function recordStrategyOutcomes(db: PrismaClient, key: HealRecordKey, attempts: HealAttempt[], winner: string | undefined): Promise<void> {
  const seen = new Map<string, { success: boolean; ms: number }>();
  for (const a of attempts) {
    for (const t of a.tried) if (!seen.has(t.strategy) && t.count === 0) seen.set(t.strategy, { success: false, ms: t.ms });
  }
  if (winner) seen.set(winner, { success: true, ms: attempts.at(-1)?.durationMs ?? 0 });
  for (const [strategy, o] of seen) {
    await recordHealOutcome(db, { teamId: key.teamId, urlPattern: key.urlPattern, elementName: key.elementName, strategy, success: o.success, healTimeMs: o.ms }).catch(
      (err: unknown) => logger.warn({ err }, "could not record heal history"),
    );
  }
}
