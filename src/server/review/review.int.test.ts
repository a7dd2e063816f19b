// Each review decision changes what the next run does (real Postgres, real Chromium, the selector cache the worker
// uses). A reworded "Checkout" button ("Proceed to checkout") heals unverified.
//   approve (unverified Checkout heal) → the next run is a cache hit on the approved selector, no heal;
//   roll back → the selector the heal replaced is cached again: the next run on the old page is a clean cache hit;
//   reject (under PROCEED_AND_FLAG, which would proceed on it again) → the next run fails that step with the reviewer's reason instead of healing.
import type { Browser } from "playwright-core";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/generated/prisma/client";
import { type RunFixture, setupRunFixture } from "../../../test/helpers/run-fixture";
import { createCaller } from "../api/root";
import { TEAM_COOKIE } from "../api/trpc";
import { parseSteps } from "../steps/step-parser";
import { claimRuns } from "../queue/claim";
import { enqueueRun } from "../runs/enqueue";
import { executeRun } from "../runs/execute-run";

const CHECKOUT = `Click the Checkout button
Expect text "Order placed"`;
const SHOP = (label: string) => `<!doctype html><html><head><title>Shop</title></head><body><main><h1>Cart</h1>
<p>1 item</p><button type="button" onclick="document.getElementById('o').textContent='Order placed'">${label}</button>
<p id="o"></p></main></body></html>`;

let fx: RunFixture;
let db: PrismaClient;
let browser: Browser;
let baseUrl: string;
let version = 1;
const log = pino({ level: "silent" });
let teamId: string;
let member: { id: string; email: string };
let outsider: { id: string; email: string };

beforeAll(async () => {
  fx = await setupRunFixture("review.int.test", {
    stepTimeoutMs: 3000,
    handler: (req, res) => {
      const html = SHOP(version === 1 ? "Checkout" : "Proceed to checkout");
      res.writeHead(200, { "content-type": "text/html" }).end(html);
    },
  });
  ({ db, browser, baseUrl } = fx);
  teamId = (await db.team.create({ data: { name: "R", slug: "r" } })).id;
  const other = (await db.team.create({ data: { name: "O", slug: "o" } })).id;
  member = await db.user.create({ data: { email: "rev-member@example.com", memberships: { create: { teamId, role: "MEMBER" } } }, select: { id: true, email: true } });
  outsider = await db.user.create({ data: { email: "rev-out@example.com", memberships: { create: { teamId: other, role: "OWNER" } } }, select: { id: true, email: true } });
}, 120_000);
afterAll(async () => {
  await fx?.close();
});

const as = (u: { id: string; email: string }, team = teamId) => createCaller({ db, session: { user: u }, headers: new Headers({ cookie: `${TEAM_COOKIE}=${team}` }) });

async function makeTest(name: string, path: string, source: string) {
  const parsed = parseSteps(source);
  if (!parsed.ok) throw new Error("steps do not parse");
  return db.test.create({ data: { teamId, name, startUrl: `${baseUrl}${path}`, source, steps: parsed.steps } });
}

/** One run of the test on page version `v`, through the worker's own path (default selector cache). */
async function runOnce(testId: string, v: number) {
  version = v;
  const { id } = await enqueueRun(db, { teamId, testId, trigger: "MANUAL" });
  const [claimed] = await claimRuns(db, "w-review", 1);
  expect(claimed?.id).toBe(id);
  await executeRun(db, claimed!, { workerId: "w-review", browser, log });
  return db.run.findUniqueOrThrow({ where: { id }, include: { runSteps: { orderBy: { stepIdx: "asc" } }, healEvents: { orderBy: { createdAt: "asc" } } } });
}
const story = (r: Awaited<ReturnType<typeof runOnce>>) =>
  JSON.stringify({ err: r.errorMessage, heals: r.healEvents.map((e) => [e.stepIdx, e.round, e.outcome, e.strategy, e.oldSelector, e.newSelector]) });

const entry = (elementName: string, urlPattern?: string) => db.selectorCacheEntry.findFirst({ where: { teamId, elementName, ...(urlPattern ? { urlPattern } : {}) } });
const historyOf = (elementName: string) => db.healHistory.findMany({ where: { teamId, elementName } });

describe("heal review", () => {
  it("approve makes an unverified heal the cached selector; roll back restores the one it replaced", async () => {
    const test = await makeTest("Checkout", "/shop", CHECKOUT);
    const v1 = await runOnce(test.id, 1);
    expect(v1, story(v1)).toMatchObject({ status: "PASSED", verdict: "CLEAN" });
    const oldSelector = v1.runSteps[0]!.selector!;

    // Reworded: the heal's only candidate is unverified, and the default policy (FAIL) refuses it.
    const refused = await runOnce(test.id, 2);
    expect(refused, story(refused)).toMatchObject({ status: "FAILED", verdict: "SELECTOR_DRIFT_NOT_HEALED" });
    const queue = await as(member).review.list({});
    const item = queue.items.find((i) => i.runId === refused.id);
    expect(item, JSON.stringify(queue.items)).toMatchObject({ reason: "unverified", stepIdx: 0, stepText: "Click the Checkout button", oldSelector, decision: null });
    expect(Array.isArray(item!.attempts) && item!.attempts.length).toBeGreaterThan(0);
    const newSelector = item!.newSelector!;
    expect(newSelector).not.toBe(oldSelector);

    // Another team cannot see or decide it.
    expect((await as(outsider, (await db.membership.findFirstOrThrow({ where: { userId: outsider.id } })).teamId).review.list({})).items).toEqual([]);
    await expect(as(outsider).review.approve({ healEventId: item!.id })).rejects.toMatchObject({ code: "NOT_FOUND" });

    const before = (await historyOf(item!.elementName)).find((h) => h.strategy === item!.strategy)?.successCount ?? 0;
    const approved = await as(member).review.approve({ healEventId: item!.id });
    expect(approved.decision).toBe("APPROVED");
    expect(await entry(item!.elementName)).toMatchObject({ selector: newSelector, stable: true });
    expect((await historyOf(item!.elementName)).find((h) => h.strategy === item!.strategy)?.successCount).toBe(before + 1);
    await expect(as(member).review.approve({ healEventId: item!.id })).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await as(member).review.list({})).items.some((i) => i.id === item!.id)).toBe(false);
    expect((await as(member).review.list({ status: "decided" })).items.find((i) => i.id === item!.id)?.reviews[0]).toMatchObject({ decision: "APPROVED", reviewerEmail: member.email });

    // The next run uses the approved selector from the cache, with no heal.
    const after = await runOnce(test.id, 2);
    expect(after, story(after)).toMatchObject({ status: "PASSED", verdict: "CLEAN", healEventCount: 0 });
    expect(after.runSteps[0]).toMatchObject({ healed: false, selector: newSelector });
    expect(after.runSteps[0]!.cacheSource).not.toBe("miss");

    // Roll back: the old selector is cached again, so the old page is a clean cache hit on it.
    await expect(as(member).review.rollback({ healEventId: after.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const rolled = await as(member).review.rollback({ healEventId: item!.id });
    expect(rolled).toMatchObject({ decision: "ROLLED_BACK", restoredSelector: oldSelector });
    expect(await entry(item!.elementName)).toMatchObject({ selector: oldSelector });
    const back = await runOnce(test.id, 1);
    expect(back, story(back)).toMatchObject({ status: "PASSED", verdict: "CLEAN", healEventCount: 0 });
    expect(back.runSteps[0]).toMatchObject({ healed: false, selector: oldSelector });
    expect(back.runSteps[0]!.cacheSource).not.toBe("miss");
    const audit = await as(member).review.forRun({ runId: refused.id });
    expect(audit.map((a) => [a.decision, a.reviewerEmail])).toEqual([["APPROVED", member.email], ["ROLLED_BACK", member.email]]);
  }, 240_000);

  it("reject stores a negative example: the next run fails the step with the reviewer's reason", async () => {
    // PROCEED_AND_FLAG: the run goes on on the unverified heal, and would again next time without the rejection.
    const test = await makeTest("Cart", "/cart", CHECKOUT);
    await db.test.update({ where: { id: test.id }, data: { healPolicy: "PROCEED_AND_FLAG" } });
    expect(await runOnce(test.id, 1)).toMatchObject({ status: "PASSED", verdict: "CLEAN" });
    const healed = await runOnce(test.id, 2);
    expect(healed, story(healed)).toMatchObject({ status: "PASSED", verdict: "SELECTOR_DRIFT_HEALED" });
    const item = (await as(member).review.list({})).items.find((i) => i.runId === healed.id);
    expect(item).toMatchObject({ reason: "unverified", stepIdx: 0, newSelector: healed.runSteps[0]!.selector });

    await expect(as(member).review.reject({ healEventId: item!.id, reason: "  " })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(as(member).review.rollback({ healEventId: item!.id })).rejects.toMatchObject({ code: "CONFLICT" });
    const failuresBefore = (await historyOf(item!.elementName)).find((h) => h.strategy === item!.strategy)?.failureCount ?? 0;
    await as(member).review.reject({ healEventId: item!.id, reason: "that button places a different order" });
    expect(await entry(item!.elementName, item!.urlPattern)).toBeNull();
    expect(await db.healRejection.findMany({ where: { teamId, elementName: item!.elementName, urlPattern: item!.urlPattern } })).toMatchObject([
      { selector: item!.newSelector, reason: "that button places a different order", reviewerId: member.id },
    ]);
    expect((await historyOf(item!.elementName)).find((h) => h.strategy === item!.strategy)?.failureCount).toBe(failuresBefore + 1);

    const next = await runOnce(test.id, 2);
    expect(next, story(next)).toMatchObject({ status: "FAILED", verdict: "SELECTOR_DRIFT_NOT_HEALED" });
    expect(next.runSteps[0]).toMatchObject({ status: "FAILED" });
    expect(next.runSteps[0]!.errorMessage).toContain("a reviewer rejected this heal: that button places a different order");
    expect(next.errorMessage).toContain("a reviewer rejected this heal: that button places a different order");
    // Nothing was acted on: the order text never showed, and the rejected selector was not cached again.
    expect(next.runSteps[1]).toMatchObject({ status: "SKIPPED" });
    expect(await entry(item!.elementName, item!.urlPattern)).toBeNull();
  }, 240_000);
});
