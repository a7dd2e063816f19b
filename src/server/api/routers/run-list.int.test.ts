// run.list's server-side filters (status, verdict, test, healed only) and cursor pagination, on a real database.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { PrismaClient } from "@/generated/prisma/client";
import { createTestDatabase } from "../../../../test/helpers/test-db";
import { createCaller } from "../root";
import { TEAM_COOKIE } from "../trpc";

let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
let db: PrismaClient;
let teamId: string;
let user: { id: string; email: string };

beforeAll(async () => {
  tdb = await createTestDatabase("run-list.int.test");
  db = tdb.db;
  teamId = (await db.team.create({ data: { name: "L", slug: "l" } })).id;
  const other = (await db.team.create({ data: { name: "M", slug: "m" } })).id;
  user = await db.user.create({ data: { email: "list@example.com", memberships: { create: { teamId, role: "VIEWER" } } }, select: { id: true, email: true } });
  const steps = [{ text: "Click Go", action: "click" }];
  const t1 = await db.test.create({ data: { teamId, name: "one", startUrl: "http://127.0.0.1:9/", source: "Click Go", steps } });
  const t2 = await db.test.create({ data: { teamId, name: "two", startUrl: "http://127.0.0.1:9/", source: "Click Go", steps } });
  const base = Date.now() - 3_600_000;
  // 30 runs, one a minute: alternating tests; every third failed; every fifth healed (a healed step).
  for (let i = 0; i < 30; i++) {
    const failed = i % 3 === 0;
    const healed = i % 5 === 0;
    await db.run.create({
      data: {
        teamId, testId: i % 2 ? t1.id : t2.id, testName: i % 2 ? "one" : "two", url: "http://127.0.0.1:9/", steps,
        status: failed ? "FAILED" : "PASSED", verdict: failed ? "ASSERTION_FAILED" : healed ? "SELECTOR_DRIFT_HEALED" : "CLEAN",
        createdAt: new Date(base + i * 60_000),
        runSteps: { create: { stepIdx: 0, text: "Click Go", action: "click", status: failed ? "FAILED" : "PASSED", healed } },
      },
    });
  }
  await db.run.create({ data: { teamId: other, testName: "x", url: "http://127.0.0.1:9/", steps, status: "FAILED" } });
});
afterAll(async () => {
  await tdb?.drop();
});

const caller = () => createCaller({ db, session: { user }, headers: new Headers({ cookie: `${TEAM_COOKIE}=${teamId}` }) });

it("filters on the server and pages by cursor, newest first, without gaps or repeats", async () => {
  const failed = await caller().run.list({ status: "FAILED", pageSize: 100 });
  expect(failed.total).toBe(10);
  expect(failed.items.every((r) => r.status === "FAILED")).toBe(true);

  const healed = await caller().run.list({ healedOnly: true, pageSize: 100 });
  expect(healed.total).toBe(6);
  expect((await caller().run.list({ healedOnly: true, status: "PASSED", pageSize: 100 })).total).toBe(4);
  expect((await caller().run.list({ verdict: "SELECTOR_DRIFT_HEALED", pageSize: 100 })).total).toBe(4);
  const one = await caller().run.list({ testId: (await db.test.findFirstOrThrow({ where: { name: "one" } })).id, pageSize: 100 });
  expect(one.total).toBe(15);
  expect(one.items.every((r) => r.testName === "one")).toBe(true);

  const seen: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 10; pages++) {
    const page = await caller().run.list({ pageSize: 7, ...(cursor ? { cursor } : {}) });
    seen.push(...page.items.map((r) => r.id));
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  const all = await db.run.findMany({ where: { teamId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true } });
  expect(seen).toEqual(all.map((r) => r.id));
  await expect(caller().run.list({ status: "NOPE" as never })).rejects.toMatchObject({ code: "BAD_REQUEST" });
});
