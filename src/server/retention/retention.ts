// Retention: per-team settings and the periodic job (worker/loop.ts ticks it every RETENTION_TICK_MS) that deletes,
// in batches, finished runs older than the team's run_days (their steps, artifact rows and heal events go by
// cascade), heal events older than heal_event_days, alert deliveries older than run_days, and expired
// selector-cache rows. Artifact objects are deleted
// through the artifact store after the rows: the rows' keys are queued in artifact_deletions in the transaction
// that deletes the rows, and the objects are deleted once it committed (retried with backoff), so no row ever
// points at a deleted object and no object outlives its row. Metric totals are unaffected: they live in the rollup
// tables (src/server/metrics/rollups.ts), not in the rows deleted here.
import { z } from "zod";
import type { PrismaClient } from "@/generated/prisma/client";
import type { ArtifactStore } from "../storage/store";

/** Documented in docs/operations.md ("Retention"). */
export const DEFAULT_RETENTION = { runDays: 30, healEventDays: 30 } as const;
export const MAX_RETENTION_DAYS = 3650;

const ZDays = z.number().int().min(1).max(MAX_RETENTION_DAYS);
export const ZRetentionSettings = z
  .object({ runDays: ZDays, healEventDays: ZDays })
  .refine((s) => s.healEventDays <= s.runDays, {
    message: "Heal events are deleted with their run, so they cannot be kept longer than runs",
    path: ["healEventDays"],
  });
export type RetentionSettings = z.infer<typeof ZRetentionSettings>;

export async function getRetention(db: PrismaClient, teamId: string): Promise<RetentionSettings & { isDefault: boolean }> {
  const row = await db.teamRetention.findUnique({ where: { teamId }, select: { runDays: true, healEventDays: true } });
  return row ? { ...row, isDefault: false } : { ...DEFAULT_RETENTION, isDefault: true };
}

export async function setRetention(db: PrismaClient, teamId: string, input: RetentionSettings): Promise<RetentionSettings> {
  const s = ZRetentionSettings.parse(input);
  return db.teamRetention.upsert({
    where: { teamId },
    create: { teamId, ...s },
    update: s,
    select: { runDays: true, healEventDays: true },
  });
}

export type RetentionResult = {
  runsDeleted: number;
  artifactsQueued: number;
  healEventsDeleted: number;
  cacheRowsDeleted: number;
  alertDeliveriesDeleted: number;
  filesDeleted: number;
  fileErrors: number;
};

export type RetentionOptions = {
  store: ArtifactStore;
  batchSize: number;
  /** The clock (tests); default now. */
  now?: Date;
  /** Upper bound on batches per kind in one pass, so a tick ends even on a huge backlog. */
  maxBatches?: number;
};

/** One pass of the retention job. Safe to run in several workers at once (rows are taken with SKIP LOCKED). */
export async function runRetention(db: PrismaClient, o: RetentionOptions): Promise<RetentionResult> {
  const now = o.now ?? new Date();
  const maxBatches = o.maxBatches ?? 50;
  const result: RetentionResult = { runsDeleted: 0, artifactsQueued: 0, healEventsDeleted: 0, cacheRowsDeleted: 0, alertDeliveriesDeleted: 0, filesDeleted: 0, fileErrors: 0 };

  for (let i = 0; i < maxBatches; i++) {
    const { runs, artifacts } = await deleteRunBatch(db, now, o.batchSize);
    result.runsDeleted += runs;
    result.artifactsQueued += artifacts;
    // Objects go right after their rows, batch by batch, so the queue stays short.
    const files = await drainArtifactDeletions(db, o.store, { now, batchSize: o.batchSize, maxBatches: 1 });
    result.filesDeleted += files.deleted;
    result.fileErrors += files.failed;
    if (runs < o.batchSize) break;
  }

  for (let i = 0; i < maxBatches; i++) {
    const n = await db.$executeRaw`
      DELETE FROM heal_events WHERE id IN (
        SELECT he.id FROM heal_events he
        JOIN runs r ON r.req_id = he.req_id
        LEFT JOIN team_retention tr ON tr.team_id = r.team_id
        WHERE he.created_at < ${iso(now)}::timestamp(3) - make_interval(days => COALESCE(tr.heal_event_days, ${DEFAULT_RETENTION.healEventDays}::int))
        LIMIT ${o.batchSize}
        FOR UPDATE OF he SKIP LOCKED
      )`;
    result.healEventsDeleted += n;
    if (n < o.batchSize) break;
  }

  for (let i = 0; i < maxBatches; i++) {
    const n = await db.$executeRaw`
      DELETE FROM selector_cache_entries WHERE id IN (
        SELECT id FROM selector_cache_entries WHERE expires_at < ${iso(now)}::timestamp(3) LIMIT ${o.batchSize} FOR UPDATE SKIP LOCKED
      )`;
    result.cacheRowsDeleted += n;
    if (n < o.batchSize) break;
  }

  // The alert delivery log is kept as long as the runs it is about.
  for (let i = 0; i < maxBatches; i++) {
    const n = await db.$executeRaw`
      DELETE FROM alert_deliveries WHERE id IN (
        SELECT d.id FROM alert_deliveries d
        LEFT JOIN team_retention tr ON tr.team_id = d.team_id
        WHERE d.created_at < ${iso(now)}::timestamp(3) - make_interval(days => COALESCE(tr.run_days, ${DEFAULT_RETENTION.runDays}::int))
        LIMIT ${o.batchSize}
        FOR UPDATE OF d SKIP LOCKED
      )`;
    result.alertDeliveriesDeleted += n;
    if (n < o.batchSize) break;
  }

  // Whatever an earlier pass could not delete (store down), now due again.
  const rest = await drainArtifactDeletions(db, o.store, { now, batchSize: o.batchSize, maxBatches });
  result.filesDeleted += rest.deleted;
  result.fileErrors += rest.failed;
  return result;
}

/** Deletes up to `batchSize` expired finished runs and queues their artifact keys, in one transaction. */
async function deleteRunBatch(db: PrismaClient, now: Date, batchSize: number): Promise<{ runs: number; artifacts: number }> {
  return db.$transaction(async (tx) => {
    const doomed = await tx.$queryRaw<{ id: string }[]>`
      SELECT r.req_id AS id FROM runs r
      LEFT JOIN team_retention tr ON tr.team_id = r.team_id
      WHERE r.status NOT IN ('PENDING', 'RUNNING')
        AND r.created_at < ${iso(now)}::timestamp(3) - make_interval(days => COALESCE(tr.run_days, ${DEFAULT_RETENTION.runDays}::int))
      ORDER BY r.created_at
      LIMIT ${batchSize}
      FOR UPDATE OF r SKIP LOCKED`;
    if (!doomed.length) return { runs: 0, artifacts: 0 };
    const ids = doomed.map((d) => d.id);
    // The keys queued are exactly the rows deleted (a writer adding an artifact row waits on the run lock held
    // here and then fails its foreign key).
    const artifacts = await tx.$executeRaw`
      WITH gone AS (DELETE FROM artifacts WHERE req_id = ANY(${ids}::text[]) RETURNING file_path)
      INSERT INTO artifact_deletions (storage_key, next_attempt_at) SELECT file_path, ${iso(now)}::timestamp(3) FROM gone
      ON CONFLICT (storage_key) DO NOTHING`;
    const runs = await tx.$executeRaw`DELETE FROM runs WHERE req_id = ANY(${ids}::text[])`;
    return { runs, artifacts };
  });
}

/** Timestamps are stored as UTC `timestamp(3)`; raw SQL binds them as ISO strings (as src/server/schedules/fire.ts does). */
const iso = (d: Date) => d.toISOString();

/** Backoff for an object the store could not delete: 1 min, 2, 4, ... capped at 1 h. */
export function deletionBackoffMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

/** A lease on a claimed deletion: another worker does not take it while this one works on it. */
const LEASE_MS = 5 * 60_000;

/**
 * Deletes queued objects whose rows are gone. Each deletion is leased (next_attempt_at moved ahead) before the
 * store is called, removed from the queue after the store succeeded, and rescheduled with backoff when it failed.
 */
export async function drainArtifactDeletions(
  db: PrismaClient,
  store: ArtifactStore,
  o: { now?: Date; batchSize: number; maxBatches?: number },
): Promise<{ deleted: number; failed: number }> {
  let deleted = 0;
  let failed = 0;
  const now = o.now ?? new Date();
  for (let i = 0; i < (o.maxBatches ?? 1); i++) {
    const leased = await db.$queryRaw<{ key: string; attempts: number }[]>`
      UPDATE artifact_deletions SET next_attempt_at = ${iso(new Date(now.getTime() + LEASE_MS))}::timestamp(3)
      WHERE storage_key IN (
        SELECT storage_key FROM artifact_deletions WHERE next_attempt_at <= ${iso(now)}::timestamp(3)
        ORDER BY next_attempt_at LIMIT ${o.batchSize} FOR UPDATE SKIP LOCKED
      )
      RETURNING storage_key AS key, attempts`;
    for (const d of leased) {
      try {
        await store.delete(d.key);
        await db.artifactDeletion.delete({ where: { storageKey: d.key } });
        deleted++;
      } catch (err) {
        failed++;
        const attempts = d.attempts + 1;
        await db.artifactDeletion.update({
          where: { storageKey: d.key },
          data: { attempts, lastError: (err instanceof Error ? err.message : String(err)).slice(0, 500), nextAttemptAt: new Date(now.getTime() + deletionBackoffMs(attempts)) },
        });
      }
    }
    if (leased.length < o.batchSize) break;
  }
  return { deleted, failed };
}
