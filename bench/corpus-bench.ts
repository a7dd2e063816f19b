// The drift corpus (test/corpus/cases) through the real engine, as numbers: per-strategy recovery (heal attempts
// by winning strategy and outcome, with their time), heal cases passing on the right elements, decoys failing
// cleanly, wrong-element actions (ground truth recorded outside the DOM) and heals a later assertion proved
// wrong. Every case runs on v1 (the engine learns the page), then on v2 (the drift), same team and cache.
//
// Usage (repo root): npx tsx bench/corpus-bench.ts      env: BENCH_REPS (default 1: whole corpus passes, each
// on a fresh database), BENCH_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/postgres), CHROMIUM_ARGS.
// Results go to stdout; paste them into docs/benchmarks.md.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pino from "pino";
import { TEST_CHROMIUM_ARGS } from "../test/helpers/chromium";
import { benchDbUrl, createBenchDatabase, dropBenchDatabase } from "./bench-db";

const REPS = Math.max(1, Number(process.env.BENCH_REPS ?? 1) || 1);
process.env.CHROMIUM_ARGS ||= JSON.stringify(TEST_CHROMIUM_ARGS);
process.env.LOG_LEVEL ||= "warn";
process.env.STEP_TIMEOUT_MS ||= "3000";
process.env.NAVIGATION_TIMEOUT_MS ||= "8000";

type StrategyRow = { healed: number; unverified: number; failed: number; ms: number[] };
const median = (xs: number[]) => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function main(): Promise<void> {
  const started = performance.now();
  const work = await mkdtemp(path.join(os.tmpdir(), "pacts-corpus-bench-"));
  process.env.ARTIFACTS_DIR = path.join(work, "artifacts");
  const dbName = `pacts_bench_corpus_${process.pid}`;
  process.env.DATABASE_URL = benchDbUrl(dbName);

  // Imported after the environment is set: the logger and serverEnv read it on first use.
  const { migrateDatabase } = await import("@/server/db/migrate");
  const { createDb } = await import("@/server/db");
  const { launchBrowser } = await import("@/server/browser");
  const { createMemoryKv } = await import("@/server/cache/kv");
  const { createSelectorCache } = await import("@/server/cache/selector-cache");
  const { loadCorpus, startCorpusServer } = await import("../test/corpus/harness");
  const { runCorpusCase, touchedLookalikes } = await import("../test/corpus/judge");

  const corpus = loadCorpus();
  const server = await startCorpusServer();
  const browser = await launchBrowser();
  const log = pino({ level: "silent" });
  const strategies = new Map<string, StrategyRow>();
  const reps: { heal: [number, number]; decoy: [number, number]; wrongActions: number; wrongHeals: number; cases: string[] }[] = [];

  try {
    for (let rep = 0; rep < REPS; rep++) {
      await createBenchDatabase(dbName);
      await migrateDatabase(process.env.DATABASE_URL);
      const db = createDb(process.env.DATABASE_URL);
      const cache = createSelectorCache({ db, l1: createMemoryKv() });
      const r = { heal: [0, 0] as [number, number], decoy: [0, 0] as [number, number], wrongActions: 0, wrongHeals: 0, cases: [] as string[] };
      for (const c of corpus) {
        process.stderr.write(`[corpus-bench] ${rep + 1}/${REPS} ${c.slug}\n`);
        // Each case is its own site (the cases share one URL pattern, /cases/:id): its own team and cache keys.
        const teamId = (await db.team.create({ data: { name: `Corpus bench ${c.slug}`, slug: `corpus-bench-${c.slug}` } })).id;
        const ctx = { db, browser, server, cache, teamId, log };
        const v1 = await runCorpusCase(ctx, c, 1);
        const v2 = await runCorpusCase(ctx, c, 2);
        const wrong = v1.gt.wrongElementActions.length + v2.gt.wrongElementActions.length + touchedLookalikes(c, v2).length;
        r.wrongActions += wrong;
        r.wrongHeals += v2.row.healEvents.filter((e) => e.wrongHeal).length;
        for (const e of v2.row.healEvents) {
          const key = e.strategy ?? "(none)";
          const row = strategies.get(key) ?? { healed: 0, unverified: 0, failed: 0, ms: [] };
          if (e.outcome === "HEALED") row.healed++;
          else if (e.outcome === "UNVERIFIED") row.unverified++;
          else row.failed++;
          row.ms.push(e.durationMs);
          strategies.set(key, row);
        }
        const ok =
          v1.outcome === "PASSED" && wrong === 0 && (c.kind === "heal" ? v2.outcome === "PASSED" && v2.gt.missed.length === 0 : v2.outcome === "FAILED");
        const tally = c.kind === "heal" ? r.heal : r.decoy;
        tally[1]++;
        if (ok) tally[0]++;
        const healedSteps = v2.row.runSteps.filter((s) => s.healed).length;
        r.cases.push(`| ${c.slug} | ${c.kind} | ${v1.outcome} | ${v2.outcome} | ${healedSteps} | ${wrong} | ${Math.round(v2.ms)} ms | ${ok ? "ok" : "**WRONG**"} |`);
      }
      reps.push(r);
      await db.$disconnect();
    }
  } finally {
    await browser.close();
    await server.close();
    await dropBenchDatabase(dbName);
    await rm(work, { recursive: true, force: true });
  }

  const last = reps.at(-1)!;
  const out: string[] = [];
  out.push(`PACTS corpus bench — ${new Date().toISOString()}`);
  out.push(`machine: ${os.cpus()[0]?.model ?? "?"} × ${os.cpus().length}, node ${process.version}; ${corpus.length} cases, ${REPS} pass(es)`);
  out.push("");
  out.push("| pass | heal cases passing on the right elements | decoys failing cleanly | wrong-element actions | wrong heals |");
  out.push("|---:|---:|---:|---:|---:|");
  reps.forEach((r, i) => out.push(`| ${i + 1} | ${r.heal[0]} / ${r.heal[1]} | ${r.decoy[0]} / ${r.decoy[1]} | ${r.wrongActions} | ${r.wrongHeals} |`));
  out.push("");
  out.push("Per-strategy recovery on v2 (heal attempts by the strategy that produced the candidate, all passes):");
  out.push("");
  out.push("| strategy | healed (verified) | unverified | failed | median heal time |");
  out.push("|---|---:|---:|---:|---:|");
  for (const [name, s] of [...strategies].sort((a, b) => b[1].healed - a[1].healed || a[0].localeCompare(b[0]))) {
    out.push(`| ${name} | ${s.healed} | ${s.unverified} | ${s.failed} | ${Math.round(median(s.ms))} ms |`);
  }
  out.push("");
  out.push(`Cases of the last pass:`);
  out.push("");
  out.push("| case | kind | v1 | v2 | healed steps | wrong actions | v2 time | verdict |");
  out.push("|---|---|---|---|---:|---:|---:|---|");
  out.push(...last.cases);
  out.push("");
  out.push(`bench wall time: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  console.log(out.join("\n"));
  const failedPasses = reps.filter((r) => r.heal[0] !== r.heal[1] || r.decoy[0] !== r.decoy[1] || r.wrongActions > 0);
  if (failedPasses.length > 0) process.exitCode = 1;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
