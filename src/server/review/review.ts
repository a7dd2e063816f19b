// The heal review queue: heals a person should look at (unverified heals, re-discoveries of a changed element,
// heals a later step proved wrong) and the three decisions on them, each of which changes what the next run does:
//   approve  → the healed selector becomes the element's cached, stable entry; heal history counts a success;
//   reject   → a negative example (heal_rejections) the engine consults, the cache entry dropped, a failure counted;
//   roll back (an approved heal) → the selector the heal replaced is the cached entry again.
// Every decision is a heal_reviews row (who, when). No Next, React or Playwright here: the router and tests call it.
import { Prisma, type PrismaClient } from "@/generated/prisma/client";
import type { HealReviewDecision } from "@/generated/prisma/enums";
import { ZFingerprint } from "@/domain/fingerprint";
import { recordHealOutcome } from "../cache/heal-history";
import type { SelectorCache } from "../cache/selector-cache";
import { AppError } from "../errors";
import { logger } from "../logger";

export type Reviewer = { id: string; email: string };
export type QueueStatus = "pending" | "decided" | "all";
/** Why a heal is in the queue. */
export type ReviewReason = "wrong-heal" | "unverified" | "rediscovery";

export type ReviewQueueInput = { teamId: string; status: QueueStatus; cursor?: string; limit: number };

/** The entry a decision replaced in the selector cache (heal_reviews.previous). */
type PreviousEntry = { selector: string; strategy: string; confidence: number; fingerprint: unknown } | null;

const reasonOf = (e: { wrongHeal: boolean; outcome: string }): ReviewReason =>
  e.wrongHeal ? "wrong-heal" : e.outcome === "UNVERIFIED" ? "unverified" : "rediscovery";

/**
 * The heals of a team worth a review, newest first, one per step: the last candidate a step's heal judged (an
 * unverified round superseded by a verified one is not listed). Cursor = the last item's id.
 */
export async function listReviewQueue(db: PrismaClient, input: ReviewQueueInput) {
  const status =
    input.status === "pending"
      ? Prisma.sql`AND NOT EXISTS (SELECT 1 FROM heal_reviews v WHERE v.heal_event_id = e.id)`
      : input.status === "decided"
        ? Prisma.sql`AND EXISTS (SELECT 1 FROM heal_reviews v WHERE v.heal_event_id = e.id)`
        : Prisma.empty;
  const cursor = input.cursor
    ? Prisma.sql`AND (e.created_at, e.id) < (SELECT c.created_at, c.id FROM heal_events c WHERE c.id = ${input.cursor})`
    : Prisma.empty;
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT e.id FROM heal_events e JOIN runs r ON r.req_id = e.req_id
    WHERE r.team_id = ${input.teamId}
      AND e.outcome IN ('HEALED', 'UNVERIFIED') AND e.new_selector IS NOT NULL
      AND NOT EXISTS (
        SELECT 1 FROM heal_events l
        WHERE l.req_id = e.req_id AND l.step_idx = e.step_idx AND l.outcome IN ('HEALED', 'UNVERIFIED')
          AND (l.created_at, l.id) > (e.created_at, e.id))
      ${status} ${cursor}
    ORDER BY e.created_at DESC, e.id DESC
    LIMIT ${input.limit + 1}`;
  const ids = rows.slice(0, input.limit).map((r) => r.id);
  const events = await db.healEvent.findMany({
    where: { id: { in: ids } },
    select: {
      id: true, runId: true, stepIdx: true, round: true, elementName: true, urlPattern: true, outcome: true, strategy: true,
      oldSelector: true, newSelector: true, score: true, verified: true, attempts: true, durationMs: true,
      screenshotArtifactId: true, wrongHeal: true, restPassed: true, createdAt: true,
      run: { select: { testName: true, testId: true, status: true, verdict: true, createdAt: true } },
      reviews: { orderBy: { createdAt: "desc" }, select: { id: true, decision: true, reason: true, reviewerEmail: true, createdAt: true } },
    },
  });
  const steps = ids.length
    ? await db.runStep.findMany({
        where: { OR: events.map((e) => ({ runId: e.runId, stepIdx: e.stepIdx })) },
        select: { runId: true, stepIdx: true, text: true, status: true },
      })
    : [];
  const shots = ids.length
    ? await db.artifact.findMany({
        where: { type: "SCREENSHOT", OR: events.map((e) => ({ runId: e.runId, stepIdx: e.stepIdx, filePath: `${e.runId}/step-${e.stepIdx}.png` })) },
        select: { id: true, runId: true, stepIdx: true },
      })
    : [];
  const byId = new Map(events.map((e) => [e.id, e]));
  const items = ids.flatMap((id) => {
    const e = byId.get(id);
    if (!e) return [];
    const step = steps.find((s) => s.runId === e.runId && s.stepIdx === e.stepIdx);
    const shot = shots.find((s) => s.runId === e.runId && s.stepIdx === e.stepIdx);
    return [{ ...e, reason: reasonOf(e), stepText: step?.text ?? null, stepStatus: step?.status ?? null, stepScreenshotId: shot?.id ?? null, decision: e.reviews[0]?.decision ?? null }];
  });
  return { items, nextCursor: rows.length > input.limit ? (ids.at(-1) ?? null) : null };
}

type DecisionInput = { teamId: string; healEventId: string; reviewer: Reviewer; reason?: string };

/** Locks the heal event (concurrent reviewers serialise here) and checks it may take `decision` now. */
async function lockForDecision(tx: Prisma.TransactionClient, input: DecisionInput, decision: HealReviewDecision) {
  await tx.$queryRaw`SELECT id FROM heal_events WHERE id = ${input.healEventId} FOR UPDATE`;
  const event = await tx.healEvent.findFirst({
    where: { id: input.healEventId, run: { teamId: input.teamId } },
    select: {
      id: true, elementName: true, urlPattern: true, outcome: true, strategy: true, oldSelector: true, newSelector: true, score: true, chosen: true, durationMs: true,
      reviews: { orderBy: { createdAt: "desc" }, take: 1, select: { decision: true, previous: true } },
    },
  });
  if (!event) throw new AppError("NOT_FOUND", "Heal not found");
  if (event.outcome === "FAILED" || !event.newSelector) throw new AppError("BAD_REQUEST", "This heal attempt found no element to review");
  const last = event.reviews[0];
  if (decision === "ROLLED_BACK") {
    if (last?.decision !== "APPROVED") throw new AppError("CONFLICT", "Only an approved heal can be rolled back");
  } else if (last && last.decision !== "ROLLED_BACK") {
    throw new AppError("CONFLICT", `This heal was already ${last.decision === "APPROVED" ? "approved" : "rejected"}`);
  }
  return { event: { ...event, newSelector: event.newSelector }, last };
}

async function currentEntry(db: Pick<PrismaClient, "selectorCacheEntry">, teamId: string, urlPattern: string, elementName: string): Promise<PreviousEntry> {
  const row = await db.selectorCacheEntry.findUnique({
    where: { teamId_urlPattern_elementName: { teamId, urlPattern, elementName } },
    select: { selector: true, strategy: true, confidence: true, fingerprint: true },
  });
  return row ? { ...row, fingerprint: row.fingerprint ?? null } : null;
}

const json = (v: unknown) => (v === null || v === undefined ? Prisma.DbNull : (JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue));

/** The fingerprint a heal event kept of its chosen element, without the heal's own notes. */
function chosenFingerprint(chosen: unknown): unknown {
  const fp = ZFingerprint.safeParse(chosen);
  return fp.success ? fp.data : null;
}

function history(db: PrismaClient, teamId: string, e: { urlPattern: string; elementName: string; strategy: string | null; durationMs: number }, success: boolean) {
  return recordHealOutcome(db, { teamId, urlPattern: e.urlPattern, elementName: e.elementName, strategy: e.strategy ?? "reviewed", success, healTimeMs: e.durationMs }).catch(
    (err: unknown) => logger.warn({ err }, "could not record the review in heal history"),
  );
}

export async function approveHeal(db: PrismaClient, cache: SelectorCache, input: DecisionInput) {
  const { event, review } = await db.$transaction(async (tx) => {
    const { event } = await lockForDecision(tx, input, "APPROVED");
    const previous = await currentEntry(tx, input.teamId, event.urlPattern, event.elementName);
    const review = await tx.healReview.create({
      data: { teamId: input.teamId, healEventId: event.id, decision: "APPROVED", reason: input.reason ?? null, reviewerId: input.reviewer.id, reviewerEmail: input.reviewer.email, previous: json(previous) },
      select: { id: true, decision: true, createdAt: true },
    });
    // Approving a heal once rejected (then rolled back) lifts the rejection.
    await tx.healRejection.deleteMany({ where: { teamId: input.teamId, urlPattern: event.urlPattern, elementName: event.elementName, selector: event.newSelector } });
    return { event, review };
  });
  await cache.put({
    teamId: input.teamId, urlPattern: event.urlPattern, elementName: event.elementName, selector: event.newSelector,
    strategy: event.strategy ?? "reviewed", confidence: event.score ?? 1, fingerprint: chosenFingerprint(event.chosen), stable: true,
  });
  await history(db, input.teamId, event, true);
  return review;
}

export async function rejectHeal(db: PrismaClient, cache: SelectorCache, input: DecisionInput & { reason: string }) {
  const { event, review } = await db.$transaction(async (tx) => {
    const { event } = await lockForDecision(tx, input, "REJECTED");
    const previous = await currentEntry(tx, input.teamId, event.urlPattern, event.elementName);
    const review = await tx.healReview.create({
      data: { teamId: input.teamId, healEventId: event.id, decision: "REJECTED", reason: input.reason, reviewerId: input.reviewer.id, reviewerEmail: input.reviewer.email, previous: json(previous) },
      select: { id: true, decision: true, createdAt: true },
    });
    const key = { teamId: input.teamId, urlPattern: event.urlPattern, elementName: event.elementName, selector: event.newSelector };
    await tx.healRejection.upsert({
      where: { teamId_urlPattern_elementName_selector: key },
      create: { ...key, reason: input.reason, healEventId: event.id, reviewerId: input.reviewer.id },
      update: { reason: input.reason, healEventId: event.id, reviewerId: input.reviewer.id },
    });
    return { event, review };
  });
  await cache.invalidate({ teamId: input.teamId, urlPattern: event.urlPattern, elementName: event.elementName });
  await history(db, input.teamId, event, false);
  return review;
}

export async function rollbackHeal(db: PrismaClient, cache: SelectorCache, input: DecisionInput) {
  const { event, restored, review } = await db.$transaction(async (tx) => {
    const { event, last } = await lockForDecision(tx, input, "ROLLED_BACK");
    const before = (last?.previous ?? null) as PreviousEntry;
    // The entry the approval replaced, when it was the old selector; else the old selector the heal started from
    // (a verified heal had already cached its new selector before anyone approved it).
    const restored: PreviousEntry =
      before && before.selector !== event.newSelector
        ? before
        : event.oldSelector
          ? { selector: event.oldSelector, strategy: "reviewed", confidence: 1, fingerprint: null }
          : null;
    const current = await currentEntry(tx, input.teamId, event.urlPattern, event.elementName);
    const review = await tx.healReview.create({
      data: { teamId: input.teamId, healEventId: event.id, decision: "ROLLED_BACK", reason: input.reason ?? null, reviewerId: input.reviewer.id, reviewerEmail: input.reviewer.email, previous: json(current) },
      select: { id: true, decision: true, createdAt: true },
    });
    return { event, restored, review };
  });
  const key = { teamId: input.teamId, urlPattern: event.urlPattern, elementName: event.elementName };
  if (restored) await cache.put({ ...key, selector: restored.selector, strategy: restored.strategy, confidence: restored.confidence, fingerprint: restored.fingerprint, stable: true });
  else await cache.invalidate(key);
  return { ...review, restoredSelector: restored?.selector ?? null };
}

/** The decisions on a run's heals, oldest first (run page). */
export async function reviewsForRun(db: PrismaClient, teamId: string, runId: string) {
  if (!(await db.run.findFirst({ where: { id: runId, teamId }, select: { id: true } }))) throw new AppError("NOT_FOUND", "Run not found");
  return db.healReview.findMany({
    where: { teamId, healEvent: { runId } },
    orderBy: { createdAt: "asc" },
    select: { id: true, healEventId: true, decision: true, reason: true, reviewerEmail: true, createdAt: true },
  });
}
