import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/generated/prisma/client";
import { createTestDatabase } from "../../../test/helpers/test-db";
import { rankStrategies, recordHealOutcome } from "./heal-history";

let db: PrismaClient;
let drop: () => Promise<void>;
let teamId: string;
const el = { urlPattern: "http://127.0.0.1:3000/demo/login", elementName: "field:username" };

beforeAll(async () => {
  const t = await createTestDatabase("src/server/cache/heal-history.int.test.ts");
  db = t.db;
  drop = t.drop;
  teamId = (await db.team.create({ data: { name: "T", slug: "t-heal" } })).id;
});
afterAll(async () => {
  await drop?.();
});

describe("recordHealOutcome", () => {
  it("20 concurrent outcomes end with exact counts, total and average", async () => {
    const outcomes = Array.from({ length: 20 }, (_, i) => ({ success: i % 3 !== 0, healTimeMs: 10 * (i + 1) }));
    await Promise.all(outcomes.map((o) => recordHealOutcome(db, { teamId, ...el, strategy: "label", ...o })));
    const row = await db.healHistory.findUniqueOrThrow({
      where: { teamId_urlPattern_elementName_strategy: { teamId, ...el, strategy: "label" } },
    });
    const successes = outcomes.filter((o) => o.success).length;
    const total = outcomes.reduce((a, o) => a + o.healTimeMs, 0);
    expect(row.successCount).toBe(successes);
    expect(row.failureCount).toBe(20 - successes);
    expect(row.totalHealTimeMs).toBe(BigInt(total));
    expect(row.avgHealTimeMs).toBeCloseTo(total / 20, 9);
    expect(row.lastUsedAt).toBeInstanceOf(Date);
  });

  it("keeps rows per strategy and per element, and rounds/clamps times", async () => {
    await recordHealOutcome(db, { teamId, ...el, strategy: "placeholder", success: true, healTimeMs: 12.6 });
    await recordHealOutcome(db, { teamId, ...el, strategy: "placeholder", success: false, healTimeMs: -5 });
    await recordHealOutcome(db, { teamId, ...el, elementName: "field:password", strategy: "placeholder", success: true, healTimeMs: 1 });
    const row = await db.healHistory.findUniqueOrThrow({
      where: { teamId_urlPattern_elementName_strategy: { teamId, ...el, strategy: "placeholder" } },
    });
    expect([row.successCount, row.failureCount, row.totalHealTimeMs, row.avgHealTimeMs]).toEqual([1, 1, 13n, 6.5]);
    expect(await db.healHistory.count({ where: { teamId, elementName: "field:password" } })).toBe(1);
  });
});

describe("rankStrategies", () => {
  it("orders by this element's history, then the rest in registry order", async () => {
    const k = { teamId, urlPattern: el.urlPattern, elementName: "button:log in" };
    const rec = (strategy: string, success: boolean, healTimeMs: number) => recordHealOutcome(db, { ...k, strategy, success, healTimeMs });
    await rec("text", true, 40);
    await rec("text", true, 40);
    await rec("role-name", true, 20);
    await rec("role-name", true, 20);
    await rec("testid", false, 5);
    await rec("testid", false, 5);
    await rec("label", true, 1);
    // another element's history must not leak in
    await recordHealOutcome(db, { ...k, elementName: "button:other", strategy: "aria-label", success: true, healTimeMs: 1 });
    const registry = ["testid", "aria-label", "label", "role-name", "text"];
    expect(await rankStrategies(db, k, registry)).toEqual(["role-name", "text", "label", "aria-label", "testid"]);
    expect(await rankStrategies(db, { ...k, elementName: "button:never" }, registry)).toEqual(registry);
  });
});
