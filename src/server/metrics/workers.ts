// Worker heartbeat table behind pacts_workers_active. worker/index.ts registers at start, heartbeats every few
// seconds (well under ACTIVE_WINDOW_SEC) and marks itself stopped on shutdown; a crashed worker simply ages out.
import { hostname as osHostname } from "node:os";
import type { PrismaClient } from "@/generated/prisma/client";

export const ACTIVE_WINDOW_SEC = 30;
/** How often a worker should call heartbeatWorker. */
export const HEARTBEAT_EVERY_MS = 10_000;

type Db = Pick<PrismaClient, "$executeRaw" | "$queryRaw">;

// Times are written from the caller's clock as UTC (like every Prisma-written timestamp in this schema), and
// compared with the reader's clock: fine for processes on one host or NTP-synced hosts.
const iso = (d: Date) => d.toISOString();

export async function registerWorker(db: Db, workerId: string, info: { hostname?: string; pid?: number } = {}): Promise<void> {
  const now = iso(new Date());
  await db.$executeRaw`
    INSERT INTO "workers" ("id", "hostname", "pid", "started_at", "heartbeat_at", "stopped_at")
    VALUES (${workerId}, ${info.hostname ?? osHostname()}, ${info.pid ?? process.pid}, ${now}::timestamp(3), ${now}::timestamp(3), NULL)
    ON CONFLICT ("id") DO UPDATE SET "hostname" = EXCLUDED."hostname", "pid" = EXCLUDED."pid",
      "started_at" = EXCLUDED."started_at", "heartbeat_at" = EXCLUDED."heartbeat_at", "stopped_at" = NULL`;
}

/** False when the row is missing (e.g. deleted by an admin); the caller may re-register. */
export async function heartbeatWorker(db: Db, workerId: string): Promise<boolean> {
  const n = await db.$executeRaw`
    UPDATE "workers" SET "heartbeat_at" = ${iso(new Date())}::timestamp(3) WHERE "id" = ${workerId} AND "stopped_at" IS NULL`;
  return n === 1;
}

export async function stopWorker(db: Db, workerId: string): Promise<void> {
  await db.$executeRaw`UPDATE "workers" SET "stopped_at" = ${iso(new Date())}::timestamp(3) WHERE "id" = ${workerId}`;
}

export async function countActiveWorkers(db: Pick<PrismaClient, "$queryRaw">, now: Date = new Date()): Promise<number> {
  const since = iso(new Date(now.getTime() - ACTIVE_WINDOW_SEC * 1000));
  const rows = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS "n" FROM "workers" WHERE "stopped_at" IS NULL AND "heartbeat_at" > ${since}::timestamp(3)`;
  return rows[0]?.n ?? 0;
}

export type WorkerHealthState = "HEALTHY" | "BROWSER_UNAVAILABLE";

/** Records a change of the worker's health (the caller writes only on a change); error is kept when unhealthy. */
export async function setWorkerHealth(db: Db, workerId: string, health: WorkerHealthState, error?: string | null): Promise<void> {
  await db.$executeRaw`
    UPDATE "workers" SET "health" = ${health}::"WorkerHealth", "health_error" = ${health === "HEALTHY" ? null : (error ?? null)},
      "health_changed_at" = ${iso(new Date())}::timestamp(3), "heartbeat_at" = ${iso(new Date())}::timestamp(3)
     WHERE "id" = ${workerId}`;
}

export type UnhealthyWorker = { id: string; hostname: string; health: WorkerHealthState; error: string | null; since: Date | null };

export type WorkerHealth = {
  /** Workers with a heartbeat within ACTIVE_WINDOW_SEC. */
  active: number;
  /** The latest heartbeat of any worker that has not stopped cleanly (null: none ever ran). */
  lastHeartbeatAt: Date | null;
  /** Active workers that cannot run anything (e.g. Chromium does not launch). */
  unhealthy: UnhealthyWorker[];
};

/** What the dashboard's worker banner shows: workers are down when none heartbeated within the window, and
 * which live workers are unhealthy. */
export async function workerHealth(db: Pick<PrismaClient, "$queryRaw">, now: Date = new Date()): Promise<WorkerHealth> {
  const since = iso(new Date(now.getTime() - ACTIVE_WINDOW_SEC * 1000));
  const [rows, unhealthy] = await Promise.all([
    db.$queryRaw<{ active: number; last: Date | null }[]>`
    SELECT count(*) FILTER (WHERE "stopped_at" IS NULL AND "heartbeat_at" > ${since}::timestamp(3))::int AS "active",
           max("heartbeat_at") AS "last"
      FROM "workers"`,
    db.$queryRaw<UnhealthyWorker[]>`
    SELECT "id", "hostname", "health"::text AS "health", "health_error" AS "error", "health_changed_at" AS "since"
      FROM "workers"
     WHERE "stopped_at" IS NULL AND "heartbeat_at" > ${since}::timestamp(3) AND "health" <> 'HEALTHY'
     ORDER BY "id" LIMIT 20`,
  ]);
  return { active: rows[0]?.active ?? 0, lastHeartbeatAt: rows[0]?.last ?? null, unhealthy };
}

export async function countUnhealthyWorkers(db: Pick<PrismaClient, "$queryRaw">, now: Date = new Date()): Promise<number> {
  const since = iso(new Date(now.getTime() - ACTIVE_WINDOW_SEC * 1000));
  const rows = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS "n" FROM "workers"
     WHERE "stopped_at" IS NULL AND "heartbeat_at" > ${since}::timestamp(3) AND "health" <> 'HEALTHY'`;
  return rows[0]?.n ?? 0;
}
