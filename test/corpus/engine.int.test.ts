// The judge: every corpus case runs through the real engine (executeRun: cache, discovery, gate, healing) on v1,
// then — same URL, same database, same team, so the cache and fingerprints from v1 are what the engine knows —
// on v2. Heal cases must PASS with every action on the right element; decoys must FAIL cleanly without ever
// acting on the look-alike. Ground truth comes from the init script (never readable as DOM by the engine).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/generated/prisma/client";
import { launchBrowser } from "@/server/browser";
import { createMemoryKv } from "@/server/cache/kv";
import { createSelectorCache, type SelectorCache } from "@/server/cache/selector-cache";
import { resetServerEnv } from "@/server/env";
import { createTestDatabase } from "../helpers/test-db";
import { loadCorpus, startCorpusServer, type CorpusCase, type CorpusServer } from "./harness";
import { type CaseResult, runCorpusCase, touchedLookalikes } from "./judge";
import { TEST_CHROMIUM_ARGS } from "../helpers/chromium";


const corpus = loadCorpus();
let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
let db: PrismaClient;
let browser: Browser;
let server: CorpusServer;
let artifactsDir: string;
let cache: SelectorCache;
const log = pino({ level: "silent" });
const recovered = new Map<string, number>();

beforeAll(async () => {
  artifactsDir = await mkdtemp(path.join(tmpdir(), "pacts-engine-"));
  tdb = await createTestDatabase("corpus-engine.int.test");
  db = tdb.db;
  process.env.DATABASE_URL = tdb.url;
  process.env.ARTIFACTS_DIR = artifactsDir;
  process.env.CHROMIUM_ARGS = JSON.stringify(TEST_CHROMIUM_ARGS);
  // The product default: a loaded CI machine must not fail a step a user's run would pass.
  process.env.STEP_TIMEOUT_MS = "5000";
  process.env.NAVIGATION_TIMEOUT_MS = "8000";
  resetServerEnv();
  server = await startCorpusServer();
  browser = await launchBrowser();
  // Memory L1 + Postgres L2: the same two-layer cache the worker uses, without sharing Redis keys across test runs.
  cache = createSelectorCache({ db, l1: createMemoryKv() });
}, 60_000);

afterAll(async () => {
  // Per-strategy recovery on the corpus (the numbers bench/ reports too).
  if (recovered.size) console.log("per-strategy recovery:", Object.fromEntries([...recovered].sort()));
  await browser?.close();
  await server?.close();
  await tdb?.drop();
  await rm(artifactsDir, { recursive: true, force: true });
});

// Each case is its own site, so its own team: the cases share one URL pattern (/cases/:id), and one case's cached
// "Email field" must not stand in for another's.
const teams = new Map<string, string>();
async function teamFor(c: CorpusCase): Promise<string> {
  if (!teams.has(c.slug)) teams.set(c.slug, (await db.team.create({ data: { name: `Corpus ${c.slug}`, slug: `corpus-${c.slug}` } })).id);
  return teams.get(c.slug)!;
}
const runCase = async (c: CorpusCase, version: 1 | 2) => runCorpusCase({ db, browser, server, cache, teamId: await teamFor(c), log }, c, version);

function explain(r: CaseResult): string {
  return JSON.stringify({
    error: r.row.errorMessage,
    steps: r.row.runSteps.map((s) => [s.status, s.strategy, s.cacheSource, s.healed, s.errorMessage]),
    heals: r.row.healEvents.map((e) => [e.round, e.outcome, e.strategy, e.newSelector, (e.chosen as { note?: string } | null)?.note]),
    wrong: r.gt.wrongElementActions,
  }, null, 1);
}

describe.each(corpus.filter((c) => c.kind === "heal"))("heal case $slug", (c) => {
  it(`v1 passes, v2 (${c.drift.slice(0, 60)}…) passes on the right elements`, async () => {
    const v1 = await runCase(c, 1);
    expect(v1.outcome, explain(v1)).toBe("PASSED");
    expect(v1.gt.wrongElementActions, explain(v1)).toEqual([]);

    const v2 = await runCase(c, 2);
    expect(v2.outcome, explain(v2)).toBe("PASSED");
    expect(v2.gt.wrongElementActions, explain(v2)).toEqual([]);
    expect(v2.gt.missed, explain(v2)).toEqual([]);
    expect(["CLEAN", "SELECTOR_DRIFT_HEALED"]).toContain(v2.row.verdict);
    expect(v2.row.verdict === "SELECTOR_DRIFT_HEALED").toBe(v2.row.runSteps.some((s) => s.healed));
    for (const e of v2.row.healEvents.filter((h) => h.outcome === "HEALED")) {
      expect(e.restPassed).toBe(true);
      expect(e.wrongHeal).toBe(false);
      recovered.set(e.strategy ?? "?", (recovered.get(e.strategy ?? "?") ?? 0) + 1);
    }
  }, 120_000);
});

describe.each(corpus.filter((c) => c.kind === "decoy"))("decoy case $slug", (c) => {
  it("v1 passes, v2 fails cleanly without touching the look-alike", async () => {
    const v1 = await runCase(c, 1);
    expect(v1.outcome, explain(v1)).toBe("PASSED");

    const v2 = await runCase(c, 2);
    expect(v2.outcome, explain(v2)).toBe("FAILED");
    expect(v2.gt.wrongElementActions, explain(v2)).toEqual([]);
    expect(touchedLookalikes(c, v2), explain(v2)).toEqual([]);
    expect(v2.row.verdict, explain(v2)).toBe("SELECTOR_DRIFT_NOT_HEALED");
    const failed = v2.row.runSteps.find((s) => s.status === "FAILED");
    expect(failed?.errorMessage, explain(v2)).toMatch(/no confident match|unverified heal|Could not find/);
  }, 120_000);
});

describe("a heal among look-alikes", () => {
  it("is kept as the step's role + name inside its landmark, so repeating it is a cache hit on the same element", async () => {
    const c = corpus.find((x) => x.slug === "23-duplicate-links-added")!;
    const team = (await db.team.create({ data: { name: "Corpus repeat", slug: "corpus-repeat" } })).id;
    const run = (version: 1 | 2) => runCorpusCase({ db, browser, server, cache, teamId: team, log }, c, version);
    expect((await run(1)).outcome).toBe("PASSED");
    const healed = await run(2);
    expect(healed.row.runSteps[0], explain(healed)).toMatchObject({ healed: true, selector: expect.stringMatching(/^internal:role=(navigation|banner) >> internal:role=link\[name="Contact"s\]$/) });
    const repeat = await run(2);
    expect(repeat.outcome, explain(repeat)).toBe("PASSED");
    expect(repeat.gt.wrongElementActions, explain(repeat)).toEqual([]);
    expect(repeat.row.runSteps[0], explain(repeat)).toMatchObject({ healed: false, cacheSource: "memory", selector: healed.row.runSteps[0]!.selector });
  }, 120_000);
});

describe.each(["27-nav-behind-hamburger", "28-settings-in-hover-menu"])("a heal that opened a menu (%s)", (slug) => {
  it("is repeated as a cache hit that opens the menu again, not as a new heal", async () => {
    const c = corpus.find((x) => x.slug === slug)!;
    const team = (await db.team.create({ data: { name: `Corpus menu ${slug}`, slug: `corpus-menu-${slug.slice(0, 2)}` } })).id;
    const run = (version: 1 | 2) => runCorpusCase({ db, browser, server, cache, teamId: team, log }, c, version);
    expect((await run(1)).outcome).toBe("PASSED");
    const healed = await run(2);
    expect(healed.row.runSteps[0], explain(healed)).toMatchObject({ healed: true });
    const repeat = await run(2);
    expect(repeat.outcome, explain(repeat)).toBe("PASSED");
    expect(repeat.gt.wrongElementActions, explain(repeat)).toEqual([]);
    expect(repeat.gt.missed, explain(repeat)).toEqual([]);
    expect(repeat.row.runSteps[0], explain(repeat)).toMatchObject({ healed: false, cacheSource: "memory", selector: healed.row.runSteps[0]!.selector });
  }, 120_000);
});

// PROCEED_AND_FLAG acts on an unverified heal, but never on a look-alike the page calls something else than the
// step does, or one outside the region the step names.
describe.each(["18-decoy-delete-account", "20-decoy-unsubscribe", "21-decoy-export-csv", "25-decoy-testid-carried-over", "30-decoy-scoped-row-removed"])(
  "decoy %s under PROCEED_AND_FLAG",
  (slug) => {
    it("still fails without touching the look-alike", async () => {
      const c = corpus.find((x) => x.slug === slug)!;
      const team = (await db.team.create({ data: { name: `Flag ${slug}`, slug: `flag-${slug}` } })).id;
      await db.test.create({ data: { teamId: team, name: `corpus ${c.slug}`, startUrl: server.caseUrl(c.slug), source: c.source, steps: c.steps, healPolicy: "PROCEED_AND_FLAG" } });
      const run = (version: 1 | 2) => runCorpusCase({ db, browser, server, cache, teamId: team, log }, c, version);
      expect((await run(1)).outcome).toBe("PASSED");
      const v2 = await run(2);
      expect(v2.gt.wrongElementActions, explain(v2)).toEqual([]);
      expect(touchedLookalikes(c, v2), explain(v2)).toEqual([]);
      expect(v2.outcome, explain(v2)).toBe("FAILED");
    }, 120_000);
  },
);

describe.each(["27-nav-behind-hamburger", "28-settings-in-hover-menu"])("a first run on a page whose element sits in a closed menu (%s)", (slug) => {
  it("opens the menu that hides the element", async () => {
    const c = corpus.find((x) => x.slug === slug)!;
    const team = (await db.team.create({ data: { name: `First ${slug}`, slug: `first-${slug}` } })).id;
    const v2 = await runCorpusCase({ db, browser, server, cache, teamId: team, log }, c, 2);
    expect(v2.outcome, explain(v2)).toBe("PASSED");
    expect(v2.gt.wrongElementActions, explain(v2)).toEqual([]);
    const heal = v2.row.healEvents.find((e) => e.outcome === "HEALED");
    expect((heal?.chosen as { note?: string } | null)?.note ?? "", explain(v2)).toMatch(/^(opened|hovered over) /);
  }, 120_000);
});
