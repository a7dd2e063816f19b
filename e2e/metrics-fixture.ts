// A team of its own with a known metrics data set, written straight into the e2e database through the same
// rollup functions the worker uses (src/server/metrics/rollups.ts). Other specs' runs land in other teams, so
// the numbers on this team's Metrics page are exactly the ones below.
import { createDb } from "@/server/db";
import { recordCacheRequests, recordHealAttempt, recordRunFinished } from "@/server/metrics/rollups";
import { hashPassword } from "@/server/password";
import { DATABASE_URL } from "./e2e-env";

export type MetricsTeam = { teamId: string; email: string; password: string };

const DAY_MS = 86_400_000;

/**
 * Fresh (now): runs 3 passed (1 s, 2 s, 3 s) + 1 failed (6 s) -> pass rate 75%, avg 3000 ms;
 * heals: label 4 healed + 1 failed (avg 150 ms) -> 80%, 5 uses; text 2 healed (400 + 600 ms) -> 100%, 2 uses;
 * cache: 6 redis hits, 2 postgres hits, 2 misses -> hit rate 80%.
 * Old (8 days ago): 1 passed run of 12 s, outside 7d but inside 30d / all time.
 */
export async function seedMetricsTeam(): Promise<MetricsTeam> {
  const db = createDb(DATABASE_URL);
  const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const user = { email: `e2e-metrics-${suffix}@example.com`, password: "e2e-metrics-password-1" };
  try {
    const team = await db.team.create({ data: { name: "Metrics team", slug: `metrics-${suffix}` }, select: { id: true } });
    await db.user.create({
      data: {
        email: user.email,
        name: "Metrics e2e user",
        passwordHash: await hashPassword(user.password),
        memberships: { create: { teamId: team.id, role: "OWNER" } },
      },
    });
    const teamId = team.id;
    const now = new Date();

    for (const durationMs of [1000, 2000, 3000]) await recordRunFinished(db, { teamId, status: "PASSED", durationMs, at: now });
    await recordRunFinished(db, { teamId, status: "FAILED", durationMs: 6000, healRounds: 2, at: now });
    await recordRunFinished(db, { teamId, status: "PASSED", durationMs: 12_000, at: new Date(now.getTime() - 8 * DAY_MS) });

    for (const durationMs of [100, 200, 150, 100]) await recordHealAttempt(db, { teamId, strategy: "label", outcome: "healed", durationMs, at: now });
    await recordHealAttempt(db, { teamId, strategy: "label", outcome: "failed", durationMs: 200, at: now });
    for (const durationMs of [400, 600]) await recordHealAttempt(db, { teamId, strategy: "text", outcome: "healed", durationMs, at: now });

    await recordCacheRequests(
      db,
      teamId,
      [
        { layer: "redis", result: "hit", n: 6 },
        { layer: "postgres", result: "hit", n: 2 },
        { layer: "postgres", result: "miss", n: 2 },
      ],
      now,
    );
    return { teamId, ...user };
  } finally {
    await db.$disconnect();
  }
}
