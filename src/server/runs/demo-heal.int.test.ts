// The bundled demo site's redesign (src/demo-site/v2.ts) must show a visible heal, not a silent rediscovery: after a
// v1 run fills the selector cache, the cached "Log in" selector (role and name) breaks on v2, where the element is
// the same <button> with an aria-label that replaces its accessible name; text and fingerprint verify the heal.
import type { Browser } from "playwright-core";
import pino from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEMO_LOGIN_V1 } from "@/demo-site/v1";
import { DEMO_LOGIN_V2 } from "@/demo-site/v2";
import type { PrismaClient } from "@/generated/prisma/client";
import { type RunFixture, setupRunFixture } from "../../../test/helpers/run-fixture";
import { createMemoryKv } from "../cache/kv";
import { createSelectorCache, type SelectorCache } from "../cache/selector-cache";
import { parseSteps } from "../steps/step-parser";
import { claimRuns } from "../queue/claim";
import { enqueueRun } from "./enqueue";
import { executeRun } from "./execute-run";

const DEMO = `Fill "alice" in the Username field
Fill "wonderland" in the Password field
Click the Log in button
Expect text "Welcome, alice"`;

let fx: RunFixture;
let db: PrismaClient;
let browser: Browser;
let baseUrl: string;
let cache: SelectorCache;
let version = 1;
const log = pino({ level: "silent" });

beforeAll(async () => {
  // Served at /login (not /demo/...) so the run does not depend on the demo-version cookie.
  fx = await setupRunFixture("demo-heal.int.test", {
    stepTimeoutMs: 3000,
    handler: (_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(version === 1 ? DEMO_LOGIN_V1 : DEMO_LOGIN_V2),
  });
  ({ db, browser, baseUrl } = fx);
  cache = createSelectorCache({ db, l1: createMemoryKv() });
});
afterAll(async () => {
  await fx?.close();
});

it("v1 fills the cache; on v2 the cached Log in selector breaks, heals verified, and the repeat is a cache hit", async () => {
  const teamId = (await db.team.create({ data: { name: "D", slug: "d" } })).id;
  const parsed = parseSteps(DEMO);
  if (!parsed.ok) throw new Error("demo steps do not parse");
  const test = await db.test.create({ data: { teamId, name: "Demo login", startUrl: `${baseUrl}/login`, source: DEMO, steps: parsed.steps } });
  const runOnce = async (v: number, healPolicy: "FAIL" | "PROCEED_AND_FLAG") => {
    version = v;
    await db.test.update({ where: { id: test.id }, data: { healPolicy } });
    const { id } = await enqueueRun(db, { teamId, testId: test.id, trigger: "MANUAL" });
    const [claimed] = await claimRuns(db, "w-demo", 1);
    expect(claimed?.id).toBe(id);
    await executeRun(db, claimed!, { workerId: "w-demo", browser, log, cache });
    return db.run.findUniqueOrThrow({ where: { id }, include: { runSteps: { orderBy: { stepIdx: "asc" } }, healEvents: { orderBy: [{ stepIdx: "asc" }, { round: "asc" }] } } });
  };
  const V1_LOGIN = 'internal:role=button[name="Log in"s]';
  const story = (r: Awaited<ReturnType<typeof runOnce>>) =>
    JSON.stringify(r.healEvents.map((e) => [e.stepIdx, e.round, e.outcome, e.strategy, e.oldSelector, e.newSelector]));

  const v1 = await runOnce(1, "FAIL");
  expect(v1.errorMessage).toBeNull();
  expect(v1).toMatchObject({ status: "PASSED", verdict: "CLEAN" });
  expect(v1.runSteps[2]?.selector).toBe(V1_LOGIN);

  // Default policy (FAIL): the cached role+name selector breaks on v2 (the button's accessible name is now its
  // aria-label), and the heal is verified because the visible text and the stored fingerprint agree.
  const healed = await runOnce(2, "FAIL");
  expect(healed.errorMessage, story(healed)).toBeNull();
  expect(healed).toMatchObject({ status: "PASSED", verdict: "SELECTOR_DRIFT_HEALED" });
  expect(healed.runSteps.filter((s) => s.healed).map((s) => s.stepIdx)).toEqual([2]);
  expect(healed.runSteps[2]?.selector).not.toBe(V1_LOGIN);
  const heal = healed.healEvents.find((e) => e.stepIdx === 2 && e.outcome === "HEALED");
  expect(heal, story(healed)).toMatchObject({ verified: true, oldSelector: V1_LOGIN, restPassed: true, wrongHeal: false });
  expect(heal?.newSelector).toBe(healed.runSteps[2]?.selector);
  expect(heal?.screenshotArtifactId).toBeTruthy();

  // The healed selector was written back: the next v2 run is a cache hit with no heal.
  const again = await runOnce(2, "FAIL");
  expect(again).toMatchObject({ status: "PASSED", verdict: "CLEAN" });
  expect(again.runSteps[2]).toMatchObject({ healed: false, selector: healed.runSteps[2]?.selector });
  expect(again.runSteps[2]?.cacheSource).not.toBe("miss");
});
