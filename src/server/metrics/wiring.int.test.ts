// The metrics follow what really happens: runs executed end to end in Chromium (a pass, a heal after a
// redesign, a cancel, a stale-lock sweep) show up in the same rollups /api/metrics and the JSON endpoints read.
import type { Browser } from "playwright-core";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/generated/prisma/client";
import { type RunFixture, setupRunFixture } from "../../../test/helpers/run-fixture";
import { createMemoryKv } from "../cache/kv";
import { createSelectorCache } from "../cache/selector-cache";
import { parseSteps } from "../steps/step-parser";
import { releaseStaleRuns } from "../queue/settle";
import { cancelRun } from "../runs/cancel";
import { enqueueRun } from "../runs/enqueue";
import { executeRun } from "../runs/execute-run";
import { renderMetrics } from "./prometheus";
import { getCacheMetrics, getHealMetrics, getRunMetrics } from "./summary";


// v2 renames ids, wraps the field, recases the button ("Search Now") and gives it an aria-label that replaces its
// name: a fresh look does not take it, the cached exact-name selector breaks, and it must heal.
const PAGE = (v: 1 | 2) => `<!doctype html><html><head><title>Shop</title></head><body>
${v === 1
  ? `<label for="q">Search</label><input id="q"><button id="go" type="button">Search now</button>`
  : `<div class="x9"><label>Search <input id="s-1"></label></div><button class="b-7f" type="button" aria-label="Find products">Search Now</button>`}
<p id="out"></p>
<script>
document.querySelector(${v === 1 ? "'#go'" : "'.b-7f'"}).addEventListener('click', () => {
  document.getElementById('out').textContent = 'Results for ' + document.querySelector('input').value;
});
</script></body></html>`;

let fx: RunFixture;
let db: PrismaClient;
let browser: Browser;
let version: 1 | 2 = 1;
let teamId: string;
let testId: string;
const log = pino({ level: "silent" });
const cache = () => cacheInstance;
let cacheInstance: ReturnType<typeof createSelectorCache>;

beforeAll(async () => {
  fx = await setupRunFixture("metrics-wiring.int.test", {
    stepTimeoutMs: 3000,
    handler: (_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(PAGE(version)),
  });
  ({ db, browser } = fx);
  const url = `${fx.baseUrl}/shop`;
  cacheInstance = createSelectorCache({ db, l1: createMemoryKv() });
  teamId = (await db.team.create({ data: { name: "M", slug: "m" } })).id;
  const parsed = parseSteps(['Fill "shoes" in the Search field', "Click the Search now button", 'Expect text "Results for shoes"'].join("\n"));
  if (!parsed.ok) throw new Error("steps do not parse");
  testId = (await db.test.create({ data: { teamId, name: "Search", startUrl: url, source: "", steps: parsed.steps } })).id;
}, 60_000);

afterAll(async () => {
  await fx?.close();
});

async function runOnce() {
  const { id, claimed } = await enqueueRun(db, { teamId, testId, trigger: "CLI" }, { claimFor: "metrics-test" });
  const outcome = await executeRun(db, claimed, { workerId: "metrics-test", browser, log, cache: cache() });
  if (outcome !== "PASSED") {
    const steps = await db.runStep.findMany({ where: { runId: id }, orderBy: { stepIdx: "asc" }, select: { text: true, status: true, errorMessage: true } });
    console.error(JSON.stringify({ version, steps }, null, 1));
  }
  return outcome;
}

describe("metrics recorded by real runs", () => {
  it("counts runs, cache lookups per layer and heals as they happen", async () => {
    expect(await runOnce()).toBe("PASSED");
    const scope = { teamId };
    let runs = await getRunMetrics(db, scope);
    expect(runs).toMatchObject({ total_runs: 1, passed: 1, failed: 0 });
    let cacheMetrics = await getCacheMetrics(db, scope);
    expect(cacheMetrics.misses).toBeGreaterThanOrEqual(2); // two element steps, cold cache

    expect(await runOnce()).toBe("PASSED");
    cacheMetrics = await getCacheMetrics(db, scope);
    expect(cacheMetrics.redis_hits).toBeGreaterThanOrEqual(2); // the in-process L1 answers the repeat

    version = 2;
    const outcome = await runOnce();
    expect(outcome).toBe("PASSED");
    const heal = await getHealMetrics(db, scope);
    expect(heal.strategies.reduce((n, s) => n + s.usage_count, 0)).toBeGreaterThanOrEqual(1);
    expect(heal.strategies.reduce((n, s) => n + s.total_success, 0)).toBeGreaterThanOrEqual(1);
    runs = await getRunMetrics(db, scope);
    expect(runs).toMatchObject({ total_runs: 3, passed: 3 });
    expect(runs.avg_heal_rounds).toBeGreaterThan(0);

    const text = await renderMetrics(db);
    expect(text).toMatch(/^pacts_runs_total\{status="passed"\} 3$/m);
  }, 120_000);

  it("counts a cancelled run and a run the stale sweep gives up on", async () => {
    const before = await getRunMetrics(db, { teamId });
    const { id } = await enqueueRun(db, { teamId, testId, trigger: "MANUAL" });
    expect((await cancelRun(db, { teamId, runId: id })).cancelled).toBe(true);

    const { id: stale } = await enqueueRun(db, { teamId, testId, trigger: "MANUAL" }, { claimFor: "dead-worker" });
    await db.run.update({ where: { id: stale }, data: { attempts: 3, heartbeatAt: new Date(Date.now() - 3_600_000) } });
    const released = await releaseStaleRuns(db, 60_000);
    expect(released).toEqual([expect.objectContaining({ id: stale, status: "ERROR" })]);

    const after = await getRunMetrics(db, { teamId });
    expect(after.total_runs).toBe(before.total_runs + 2);
    expect(after.failed).toBe(before.failed + 1); // ERROR counts as failed; CANCELLED only in the total
  });
});
