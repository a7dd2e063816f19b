// Sends queued alert deliveries: each due PENDING delivery is leased (next_attempt_at moved ahead, so two workers
// never send it at once), sent, and logged with its response code. A failure is retried with exponential backoff
// until maxAttempts, then the delivery is FAILED. Workers run this on a timer (worker/loop.ts, ALERT_TICK_MS);
// "send test" runs one attempt of one delivery in the web process.
import type { Prisma, PrismaClient } from "@/generated/prisma/client";
import type { AlertPayload } from "./payload";
import type { AttemptLog } from "./rules";
import { type MailSettings, sendAlert } from "./send";

export type DispatchOptions = {
  mail: MailSettings;
  retryBaseMs: number;
  maxAttempts: number;
  batchSize?: number;
};

const LEASE_MS = 60_000;
const MAX_BACKOFF_MS = 10 * 60_000;
const iso = (d: Date) => d.toISOString();

export function alertBackoffMs(attempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);
}

/** Sends every due delivery (up to batchSize); returns how many were attempted. */
export async function dispatchDueAlerts(db: PrismaClient, o: DispatchOptions): Promise<number> {
  const now = new Date();
  const leased = await db.$queryRaw<{ id: string }[]>`
    UPDATE alert_deliveries SET next_attempt_at = ${iso(new Date(now.getTime() + LEASE_MS))}::timestamp(3)
    WHERE id IN (
      SELECT id FROM alert_deliveries
      WHERE status = 'PENDING' AND next_attempt_at <= ${iso(now)}::timestamp(3)
      ORDER BY next_attempt_at LIMIT ${o.batchSize ?? 20} FOR UPDATE SKIP LOCKED
    )
    RETURNING id`;
  // Different channels do not wait on each other.
  await Promise.all(leased.map((d) => attemptDelivery(db, d.id, o)));
  return leased.length;
}

/** One attempt of one delivery; the row records the result. */
export async function attemptDelivery(db: PrismaClient, deliveryId: string, o: DispatchOptions): Promise<{ status: string; code: number | null; error: string | null }> {
  const d = await db.alertDelivery.findUniqueOrThrow({
    where: { id: deliveryId },
    select: { id: true, attempts: true, payload: true, log: true, rule: { select: { channel: true, target: true, secret: true } } },
  });
  const result = await sendAlert(d.rule, d.payload as AlertPayload, d.id, o.mail);
  const attempts = d.attempts + 1;
  const now = new Date();
  const entry: AttemptLog = { at: now.toISOString(), code: result.code, error: result.error };
  const status = result.ok ? "DELIVERED" : attempts >= o.maxAttempts ? "FAILED" : "PENDING";
  await db.alertDelivery.update({
    where: { id: d.id },
    data: {
      attempts,
      status,
      lastStatusCode: result.code,
      lastError: result.error,
      log: [...((d.log as AttemptLog[] | null) ?? []), entry] as unknown as Prisma.InputJsonValue,
      deliveredAt: result.ok ? now : null,
      nextAttemptAt: status === "PENDING" ? new Date(now.getTime() + alertBackoffMs(attempts, o.retryBaseMs)) : now,
    },
  });
  return { status, code: result.code, error: result.error };
}
