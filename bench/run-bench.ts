// PACTS vs a hand-written Playwright script, from one process, medians of interleaved repetitions:
//   (a) warm-cache run in-process (executeRun, cache warm) ÷ hand-written script (same browser, same screenshots)
//   (b) whole processes: `node bin/pacts.mjs run file` ÷ `node bench/handwritten.mjs`, warm and cold
//       (cold = a brand-new empty database, so the CLI also applies every migration)
//   (c) first heal of a drift vs a repeat of the same drift (should be a selector-cache hit)
//   (d) (a) on the same page with a ticker animated from JavaScript (inline style every frame)
//   (e) (a) on a large page (about 18,000 elements, 1,600 buttons), as real storefronts and dashboards are
// Usage (repo root): npx tsx bench/run-bench.ts      env: BENCH_REPS (default 5), BENCH_ADMIN_URL
// (default postgresql://postgres@127.0.0.1:5432/postgres), REDIS_URL (optional L1), CHROMIUM_ARGS.
// Results go to stdout; paste them into docs/benchmarks.md.
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { TEST_CHROMIUM_ARGS } from "../test/helpers/chromium";
import { createBenchDatabase, dropBenchDatabase } from "./bench-db";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const REPS = Math.max(5, Number(process.env.BENCH_REPS ?? 5) || 5);
/** (a) is cheap and noisy: this many interleaved pairs per repetition (so 15 pairs by default). */
const A_PAIRS_PER_REP = 3;
process.env.CHROMIUM_ARGS ||= JSON.stringify(TEST_CHROMIUM_ARGS);
process.env.LOG_LEVEL ||= "warn";

// ---------------------------------------------------------------------------------------------------------------
// The site: one URL, two versions. v2 is a redesign that breaks the label-based selectors (labels become
// placeholders, ids renamed), so a cached v1 selector no longer resolves and the engine must heal.

let siteVersion: 1 | 2 = 1;
const SCRIPT = `<script>
document.querySelector('form').addEventListener('submit', (e) => {
  e.preventDefault();
  const [u, p] = document.querySelectorAll('form input');
  document.getElementById('out').textContent = p.value === 'wonderland' ? 'Welcome, ' + u.value : 'Invalid login';
});
</script>`;
const PAGES = {
  1: `<!doctype html><html><head><title>Login</title></head><body><h1>Sign in</h1>
<form><label for="user">Username</label><input id="user"><label for="pw">Password</label><input id="pw" type="password">
<button id="login" type="submit">Log in</button></form><p id="out"></p>${SCRIPT}</body></html>`,
  2: `<!doctype html><html><head><title>Login</title></head><body><header><nav>Home · Help</nav></header><main><h1>Welcome back</h1>
<form class="card"><div class="row"><input id="login-name" placeholder="Username"></div>
<div class="row"><input id="login-secret" type="password" placeholder="Password"></div>
<div class="actions"><button id="btn-primary" type="submit">Log in</button></div></form><p id="out"></p></main>${SCRIPT}</body></html>`,
};

// (d): the same page with a footer ticker that JavaScript moves every animation frame, as carousels, marquees and
// sliders on real sites do; the page never stops mutating its inline styles.
const TICKER = `<footer><span id="ticker">Latest news</span></footer><script>
(function loop(t) { document.getElementById('ticker').style.transform = 'translateX(' + (Math.round(t / 16) % 300) + 'px)'; requestAnimationFrame(loop); })(0);
</script>`;

const testSource = (url: string) => `Test: Bench login
URL: ${url}
Test Steps:
1. Fill "alice" in the Username field
2. Fill "wonderland" in the Password field
3. Click the Log in button
Expected:
Expect text "Welcome, alice"
`;

// (e): a large page. A header with 60 links and a search box, 40 sections of 40 product cards (text, a link, an
// "Add to cart" button, an image), and a newsletter form at the bottom. Deterministic, so runs compare.
function bigPage(): string {
  const words = ["alpha", "news", "sport", "market", "account", "help", "cart", "order", "price", "item", "review", "share"];
  const w = (i: number) => words[i % words.length]!;
  const nav = Array.from({ length: 60 }, (_, i) => `<a href="/c${i}" class="nav-link x${i}">${w(i * 7)} ${i}</a>`).join("");
  const sections = Array.from({ length: 40 }, (_, s) => {
    const cards = Array.from({ length: 40 }, (_, j) =>
      `<li class="card c${j}"><div class="wrap"><span class="t">${w(s + j)} ${w(s * j)} ${s}-${j}</span><a href="/p/${s}/${j}">Details</a>` +
      `<button class="btn">Add to cart</button><img alt="img ${s} ${j}" src="data:,"></div></li>`).join("");
    return `<section><h2>${w(s)} section ${s}</h2><ul>${cards}</ul></section>`;
  }).join("");
  return `<!doctype html><html><head><title>Store</title></head><body><header><nav>${nav}</nav>
<form role="search"><input name="q" placeholder="Search products" aria-label="Search"><button>Go</button></form></header><main>${sections}
<form id="f"><label>Email <input name="email" type="email"></label><label for="pw">Password</label><input id="pw" type="password">
<button type="submit">Subscribe</button></form><p id="out"></p></main>
<script>document.getElementById('f').addEventListener('submit', (e) => { e.preventDefault();
document.getElementById('out').textContent = 'Subscribed ' + document.querySelector('[name=email]').value; });</script></body></html>`;
}
const BIG_PAGE = bigPage();
const bigSource = (url: string) => `Test: Bench large page
URL: ${url}
Test Steps:
1. Fill "Playwright" in the Search field
2. Fill "a@b.co" in the Email field
3. Fill "secret" in the Password field
4. Click Subscribe
Expected:
Expect text "Subscribed a@b.co"
`;

// ---------------------------------------------------------------------------------------------------------------
// Helpers

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

function timeProcess(args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ ms: performance.now() - t0, code, stderr, stdout }));
  });
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = performance.now();
  const work = await mkdtemp(path.join(os.tmpdir(), "pacts-bench-"));
  const server = http.createServer((req, res) => {
    const page = req.url === "/big" ? BIG_PAGE : req.url === "/animated" ? PAGES[siteVersion].replace("</body>", `${TICKER}</body>`) : PAGES[siteVersion];
    res.writeHead(200, { "content-type": "text/html" }).end(page);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/login`;
  const animatedUrl = new URL("/animated", url).toString();
  const bigUrl = new URL("/big", url).toString();
  const testFile = path.join(work, "login.txt");
  await writeFile(testFile, testSource(url));

  const inprocDbName = `pacts_bench_${process.pid}`;
  const warmCliDbName = `pacts_bench_cli_${process.pid}`;
  const inprocUrl = await createBenchDatabase(inprocDbName);
  const warmCliUrl = await createBenchDatabase(warmCliDbName);
  process.env.DATABASE_URL = inprocUrl;
  process.env.ARTIFACTS_DIR = path.join(work, "artifacts");
  process.env.PACTS_DATA_DIR = path.join(work, "data");

  // Imported after the environment is set: the logger and serverEnv read it on first use.
  const { migrateDatabase } = await import("@/server/db/migrate");
  const { createDb } = await import("@/server/db");
  const { launchBrowser, newRunContext } = await import("@/server/browser");
  const { enqueueRun } = await import("@/server/runs/enqueue");
  const { executeRun } = await import("@/server/runs/execute-run");
  const { parseTestFile } = await import("@/server/steps/test-file");
  const { closeRedis } = await import("@/server/redis");
  const { collectSteps } = await import("../src/cli/run");
  const { launchHandwrittenBrowser, runHandwritten, runHandwrittenLargePage } = await import("./handwritten.mjs");
  const { logger } = await import("@/server/logger");
  const log = logger.child({ mod: "bench" });

  await migrateDatabase(inprocUrl);
  const db = createDb(inprocUrl);

  async function newTest(slug: string, startUrl = url, source = testSource(startUrl)) {
    const p = parseTestFile(testFile, source);
    if (!p.ok) throw new Error(`bench test does not parse: ${JSON.stringify(p.errors)}`);
    const team = await db.team.create({ data: { name: slug, slug }, select: { id: true } });
    const test = await db.test.create({ data: { teamId: team.id, name: p.test.name, startUrl, source, steps: p.test.steps }, select: { id: true } });
    return { teamId: team.id, testId: test.id };
  }

  const browser = await launchBrowser();
  const handBrowser = await launchHandwrittenBrowser(); // same executable, flags and viewport; own process like a real script
  // As `pacts run` does (src/cli/run.ts): the context opens while the run is queued.
  async function pactsRun(t: { teamId: string; testId: string }) {
    const t0 = performance.now();
    const context = newRunContext(browser);
    const { id, claimed } = await enqueueRun(db, { teamId: t.teamId, testId: t.testId, trigger: "CLI" }, { claimFor: "bench" });
    const outcome = await executeRun(db, claimed, { workerId: "bench", browser, log, context });
    const ms = performance.now() - t0;
    const steps = await collectSteps(db, id, 0);
    return { ms, outcome, steps };
  }
  async function handRun(startUrl = url, run = runHandwritten) {
    const t0 = performance.now();
    await run(handBrowser, startUrl, path.join(work, "hand"));
    return performance.now() - t0;
  }

  const childEnv = (databaseUrl: string): NodeJS.ProcessEnv => ({
    NODE_ENV: "production",
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.REDIS_URL ?? "",
    CHROMIUM_ARGS: process.env.CHROMIUM_ARGS,
    ARTIFACTS_DIR: path.join(work, "artifacts-cli"),
    PACTS_DATA_DIR: path.join(work, "data"),
    LOG_LEVEL: "warn",
  });
  const cliArgs = [path.join(ROOT, "bin/pacts.mjs"), "run", testFile, "--json"];
  const handArgs = [path.join(ROOT, "bench/handwritten.mjs"), url, path.join(work, "hand-proc")];
  const problems: string[] = [];
  const checkCli = (r: { code: number | null; stderr: string; stdout: string }, what: string) => {
    if (r.code !== 0) problems.push(`${what}: exit ${r.code}: ${(r.stdout + r.stderr).trim().slice(0, 400)}`);
  };

  // Warm-up (untimed): tsx's compile cache, Chromium's disk cache, the warm databases' selector caches.
  const warmTest = await newTest("bench-a");
  siteVersion = 1;
  await pactsRun(warmTest);
  await handRun();
  const animatedTest = await newTest("bench-d", animatedUrl);
  await pactsRun(animatedTest);
  await handRun(animatedUrl);
  const bigTest = await newTest("bench-e", bigUrl, bigSource(bigUrl));
  await pactsRun(bigTest);
  await handRun(bigUrl, runHandwrittenLargePage);
  checkCli(await timeProcess(cliArgs, childEnv(warmCliUrl)), "warm-up CLI");
  await timeProcess(handArgs, childEnv(warmCliUrl));

  const a = { pacts: [] as number[], hand: [] as number[] };
  const b = { warm: [] as number[], cold: [] as number[], hand: [] as number[] };
  const c = { first: [] as number[], repeat: [] as number[], repeatSources: [] as string[], firstHealed: [] as number[], outcomes: [] as string[], healSteps: [] as number[], repeatSteps: [] as number[] };
  const aCache: string[] = [];
  const d = { pacts: [] as number[], hand: [] as number[] };
  const e = { pacts: [] as number[], hand: [] as number[] };

  for (let rep = 0; rep < REPS; rep++) {
    process.stderr.write(`[bench] repetition ${rep + 1}/${REPS}\n`);
    // (a) in-process, alternating which goes first so drift in machine load hits both sides alike. A pair takes
    // about a second and single pairs vary by ±15% on a shared 2-core machine, so each repetition runs several.
    siteVersion = 1;
    for (let pair = 0; pair < A_PAIRS_PER_REP; pair++) {
      const order = (rep * A_PAIRS_PER_REP + pair) % 2 === 0 ? ["pacts", "hand"] : ["hand", "pacts"];
      for (const who of order) {
        if (who === "hand") a.hand.push(await handRun());
        else {
          const r = await pactsRun(warmTest);
          if (r.outcome !== "PASSED") problems.push(`(a) PACTS run ${r.outcome}`);
          a.pacts.push(r.ms);
          aCache.push(...r.steps.filter((s) => s.cacheSource).map((s) => s.cacheSource!));
        }
      }
    }

    // (d) one interleaved pair on the animated page.
    for (const who of rep % 2 === 0 ? ["pacts", "hand"] : ["hand", "pacts"]) {
      if (who === "hand") d.hand.push(await handRun(animatedUrl));
      else {
        const r = await pactsRun(animatedTest);
        if (r.outcome !== "PASSED") problems.push(`(d) PACTS run ${r.outcome}`);
        d.pacts.push(r.ms);
      }
    }

    // (e) one interleaved pair on the large page.
    for (const who of rep % 2 === 0 ? ["pacts", "hand"] : ["hand", "pacts"]) {
      if (who === "hand") e.hand.push(await handRun(bigUrl, runHandwrittenLargePage));
      else {
        const r = await pactsRun(bigTest);
        if (r.outcome !== "PASSED") problems.push(`(e) PACTS run ${r.outcome}`);
        e.pacts.push(r.ms);
      }
    }

    // (b) whole processes: warm CLI, cold CLI (fresh empty database), hand-written script.
    const warm = await timeProcess(cliArgs, childEnv(warmCliUrl));
    checkCli(warm, "(b) warm CLI");
    b.warm.push(warm.ms);
    const coldName = `pacts_bench_cold_${process.pid}_${rep}`;
    const coldUrl = await createBenchDatabase(coldName);
    const cold = await timeProcess(cliArgs, childEnv(coldUrl));
    checkCli(cold, "(b) cold CLI");
    b.cold.push(cold.ms);
    await dropBenchDatabase(coldName);
    const hand = await timeProcess(handArgs, childEnv(warmCliUrl));
    if (hand.code !== 0) problems.push(`(b) hand-written script exit ${hand.code}: ${hand.stderr.trim()}`);
    b.hand.push(hand.ms);

    // (c) drift: learn v1, switch to v2, first heal, then the same drift again.
    const t = await newTest(`bench-c-${rep}`);
    siteVersion = 1;
    await pactsRun(t);
    siteVersion = 2;
    const first = await pactsRun(t);
    const repeat = await pactsRun(t);
    siteVersion = 1;
    c.first.push(first.ms);
    c.repeat.push(repeat.ms);
    c.firstHealed.push(first.steps.filter((s) => s.healed).length);
    // The drift itself: the steps that healed on the first v2 run, and the same steps on the repeat.
    const healedIdx = new Set(first.steps.filter((s) => s.healed).map((s) => s.idx));
    const stepMs = (steps: typeof first.steps) => steps.filter((s) => healedIdx.has(s.idx)).reduce((sum, s) => sum + (s.durationMs ?? 0), 0);
    c.healSteps.push(stepMs(first.steps));
    c.repeatSteps.push(stepMs(repeat.steps));
    c.outcomes.push(`${first.outcome}/${repeat.outcome}`);
    c.repeatSources.push(repeat.steps.filter((s) => s.cacheSource).map((s) => s.cacheSource).join(","));
  }

  await browser.close();
  await handBrowser.close();
  await db.$disconnect();
  await closeRedis();
  await new Promise((r) => server.close(r));
  await dropBenchDatabase(inprocDbName);
  await dropBenchDatabase(warmCliDbName);
  await rm(work, { recursive: true, force: true });

  const rows: [string, number, number][] = [
    ["(a) warm run, in-process  PACTS ÷ hand-written", median(a.pacts), median(a.hand)],
    ["(b) warm, whole process   CLI ÷ hand-written", median(b.warm), median(b.hand)],
    ["(b) cold, whole process   CLI ÷ hand-written", median(b.cold), median(b.hand)],
    ["(c) repeat of a drift ÷ first heal (whole runs)", median(c.repeat), median(c.first)],
    ["(c) the drifted steps: repeat ÷ first heal (their step times)", median(c.repeatSteps), median(c.healSteps)],
    ["(d) warm run, page animated from JavaScript  PACTS ÷ hand-written", median(d.pacts), median(d.hand)],
    ["(e) warm run, large page (18k elements)  PACTS ÷ hand-written", median(e.pacts), median(e.hand)],
  ];
  const cpus = os.cpus();
  const lines = [
    "",
    `PACTS bench — ${new Date().toISOString()}`,
    `machine: ${cpus[0]?.model ?? "?"} × ${cpus.length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}, node ${process.version}, load avg ${os.loadavg().map((x) => x.toFixed(1)).join(" ")}`,
    `repetitions: ${REPS} (medians; (a) ${REPS * A_PAIRS_PER_REP} interleaved pairs), L1 cache: ${process.env.REDIS_URL ? "redis" : "memory"}`,
    "",
    "| measure | PACTS | baseline | ratio |",
    "|---|---:|---:|---:|",
    ...rows.map(([name, x, y]) => `| ${name} | ${fmt(x)} | ${fmt(y)} | ${(x / y).toFixed(2)}x |`),
    "",
    `(c) repeat is ${((1 - median(c.repeat) / median(c.first)) * 100).toFixed(0)}% faster than the first heal as a whole run, ` +
      `its drifted steps ${((1 - median(c.repeatSteps) / median(c.healSteps)) * 100).toFixed(0)}% faster; ` +
      `steps healed on first v2 run per rep: ${c.firstHealed.join(" ")}; outcomes first/repeat: ${c.outcomes.join(" ")}`,
    `(c) cache source of the repeat's element steps per rep: ${c.repeatSources.map((s) => `[${s}]`).join(" ")}`,
    `(a) cache sources of the warm runs' element steps: ${Object.entries(aCache.reduce<Record<string, number>>((m, s) => ({ ...m, [s]: (m[s] ?? 0) + 1 }), {})).map(([k, v]) => `${k}=${v}`).join(" ")}`,
    `raw (a) PACTS ${a.pacts.map(fmt).join(", ")} | hand ${a.hand.map(fmt).join(", ")}`,
    `raw (b) warm ${b.warm.map(fmt).join(", ")} | cold ${b.cold.map(fmt).join(", ")} | hand ${b.hand.map(fmt).join(", ")}`,
    `raw (c) first ${c.first.map(fmt).join(", ")} | repeat ${c.repeat.map(fmt).join(", ")} | drifted steps first ${c.healSteps.map(fmt).join(", ")} | repeat ${c.repeatSteps.map(fmt).join(", ")}`,
    `raw (d) PACTS ${d.pacts.map(fmt).join(", ")} | hand ${d.hand.map(fmt).join(", ")}`,
    `raw (e) PACTS ${e.pacts.map(fmt).join(", ")} | hand ${e.hand.map(fmt).join(", ")}`,
    problems.length ? `PROBLEMS:\n  ${problems.join("\n  ")}` : "problems: none",
    `bench wall time: ${((performance.now() - started) / 1000).toFixed(1)} s`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
