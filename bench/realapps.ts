// The engine on apps nobody here wrote: the TodoMVC implementations of ../shared/realapps/todomvc (MIT, see its
// README), served at ONE loopback URL whose app can be swapped underneath, as a redesign would.
//
// Scenarios are written once, in plain English, from what a TodoMVC page shows a user (its placeholder, its
// texts, a checkbox and a delete control per row, the filters), never edited to suit one app. Each run goes
// through the real engine (executeRun: cache, discovery, gate, healing) and, when the engine says PASSED, a
// hand-written Playwright reference reads the app's state (`.todo-list li`, their labels and `completed` class)
// and compares it with what the scenario should have left: PASSED with the wrong state is a wrong-element action.
//
// Modes (BENCH_MODE, default "cold,swap"):
//   cold  every scenario on every app with an empty cache;
//   swap  for each pair A→B (consecutive apps, BENCH_PAIRS of them, default 6): cold on A, then on B after the
//         swap (same team, same cache: heals and re-discoveries), then on B again (warm).
// Usage (repo root): npx tsx bench/realapps.ts   env: BENCH_APPS=a,b (default all), BENCH_SCENARIOS=add,edit,
// BENCH_PAIRS, REALAPPS_DIR (default ../shared/realapps/todomvc), BENCH_ADMIN_URL, CHROMIUM_ARGS.
import { createReadStream, existsSync, readdirSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import type { Page } from "playwright-core";
import { TEST_CHROMIUM_ARGS } from "../test/helpers/chromium";
import { benchDbUrl, createBenchDatabase, dropBenchDatabase } from "./bench-db";

process.env.CHROMIUM_ARGS ||= JSON.stringify(TEST_CHROMIUM_ARGS);
process.env.LOG_LEVEL ||= "warn";
process.env.STEP_TIMEOUT_MS ||= "5000";
process.env.NAVIGATION_TIMEOUT_MS ||= "10000";

const REPO = path.resolve(import.meta.dirname, "..");
const APPS_DIR = path.resolve(process.env.REALAPPS_DIR ?? path.join(REPO, "../shared/realapps/todomvc"));

type Item = { text: string; done: boolean };
type Scenario = { name: string; steps: string[]; /** the visible rows the scenario leaves */ expect: Item[] };

const add = (t: string) => [`Fill "${t}" in the "What needs to be done?" field`, "Press Enter"];
const two = [...add("Buy milk"), ...add("Walk dog")];
const milk = (done: boolean): Item => ({ text: "Buy milk", done });
const dog = (done: boolean): Item => ({ text: "Walk dog", done });

export const SCENARIOS: Scenario[] = [
  { name: "add", steps: [...add("Buy milk"), 'Expect text "Buy milk"', 'Expect text "1 item left"'], expect: [milk(false)] },
  {
    name: "add-several",
    steps: [...two, ...add("Call mom"), 'Expect text "Call mom"', 'Expect text "3 items left"'],
    expect: [milk(false), dog(false), { text: "Call mom", done: false }],
  },
  { name: "complete", steps: [...two, 'Check the checkbox in the row "Buy milk"', 'Expect text "1 item left"'], expect: [milk(true), dog(false)] },
  {
    name: "uncomplete",
    steps: [...add("Buy milk"), 'Check the checkbox in the row "Buy milk"', 'Uncheck the checkbox in the row "Buy milk"', 'Expect text "1 item left"'],
    expect: [milk(false)],
  },
  {
    name: "filter-active",
    steps: [...two, 'Check the checkbox in the row "Buy milk"', "Click Active", 'Expect no text "Buy milk"', 'Expect text "Walk dog"'],
    expect: [dog(false)],
  },
  {
    name: "filter-completed",
    steps: [...two, 'Check the checkbox in the row "Buy milk"', "Click Completed", 'Expect text "Buy milk"', 'Expect no text "Walk dog"'],
    expect: [milk(true)],
  },
  {
    name: "filter-all",
    steps: [...two, 'Check the checkbox in the row "Buy milk"', "Click Active", "Click All", 'Expect text "Buy milk"', 'Expect text "Walk dog"'],
    expect: [milk(true), dog(false)],
  },
  {
    name: "edit",
    steps: [...add("Buy milk"), 'Double-click "Buy milk"', 'Fill "Buy oat milk" in the edit field', "Press Enter", 'Expect text "Buy oat milk"'],
    expect: [{ text: "Buy oat milk", done: false }],
  },
  {
    name: "delete",
    steps: [...two, 'Click the delete button in the row "Buy milk"', 'Expect no text "Buy milk"', 'Expect text "1 item left"'],
    expect: [dog(false)],
  },
  {
    name: "toggle-all",
    steps: [...two, "Check the Mark all as complete checkbox", "Click Completed", 'Expect text "Buy milk"', 'Expect text "Walk dog"'],
    expect: [milk(true), dog(true)],
  },
  {
    name: "clear-completed",
    steps: [...two, 'Check the checkbox in the row "Buy milk"', "Click Clear completed", 'Expect no text "Buy milk"', 'Expect text "Walk dog"'],
    expect: [dog(false)],
  },
];

/** The reference: the visible rows of the list, read with Playwright's own (shadow-piercing) locators. */
async function referenceState(page: Page): Promise<Item[]> {
  const rows = page.locator(".todo-list li, #todo-list li");
  const out: Item[] = [];
  for (const row of await rows.all()) {
    if (!(await row.isVisible().catch(() => false))) continue;
    const text = ((await row.locator("label").first().textContent({ timeout: 1000 }).catch(() => null)) ?? "").trim();
    const cls = (await row.getAttribute("class", { timeout: 1000 }).catch(() => null)) ?? "";
    out.push({ text, done: /\bcompleted\b/.test(cls) });
  }
  return out;
}
const sameState = (a: Item[], b: Item[]) => JSON.stringify([...a].sort((x, y) => x.text.localeCompare(y.text))) === JSON.stringify([...b].sort((x, y) => x.text.localeCompare(y.text)));

/** A static server for one app folder at a time: `use(app)` swaps what the same URL serves. */
async function startAppServer(): Promise<{ url: string; use(app: string): void; close(): Promise<void> }> {
  let root = "";
  const types: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".json": "application/json", ".svg": "image/svg+xml", ".png": "image/png", ".woff": "font/woff", ".woff2": "font/woff2" };
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? "/", "http://x");
    let file = path.join(root, decodeURIComponent(u.pathname));
    if (!file.startsWith(root)) return void res.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, "index.html");
    if (!existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": types[path.extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    use: (app) => void (root = path.join(APPS_DIR, app)),
    close: () => new Promise((r) => server.close(() => r())),
  };
}

type Outcome = { ok: boolean; failed: boolean; wrong: boolean; heals: number; rediscovered: number; error?: string };
type Tally = { runs: number; pass: number; fail: number; wrong: number; heals: number; rediscovered: number };
const tally = (): Tally => ({ runs: 0, pass: 0, fail: 0, wrong: 0, heals: 0, rediscovered: 0 });
const count = (t: Tally, o: Outcome) => {
  t.runs++;
  if (o.ok) t.pass++;
  else if (o.wrong) t.wrong++;
  else t.fail++;
  t.heals += o.heals;
  t.rediscovered += o.rediscovered;
};
const pct = (t: Tally) => (t.runs ? `${((100 * t.pass) / t.runs).toFixed(1)}%` : "-");

async function main(): Promise<void> {
  const apps = (process.env.BENCH_APPS?.split(",").filter(Boolean) ?? readdirSync(APPS_DIR).filter((d) => existsSync(path.join(APPS_DIR, d, "index.html")))).sort();
  const wanted = process.env.BENCH_SCENARIOS?.split(",").filter(Boolean);
  const scenarios = wanted ? SCENARIOS.filter((s) => wanted.includes(s.name)) : SCENARIOS;
  const modes = (process.env.BENCH_MODE ?? "cold,swap").split(",");
  const pairCount = Number(process.env.BENCH_PAIRS ?? 6);

  const work = await mkdtemp(path.join(os.tmpdir(), "pacts-realapps-"));
  process.env.ARTIFACTS_DIR = path.join(work, "artifacts");
  const dbName = `pacts_bench_realapps_${process.pid}`;
  process.env.DATABASE_URL = benchDbUrl(dbName);
  const { migrateDatabase } = await import("@/server/db/migrate");
  const { createDb } = await import("@/server/db");
  const { launchBrowser } = await import("@/server/browser");
  const { createMemoryKv } = await import("@/server/cache/kv");
  const { createSelectorCache } = await import("@/server/cache/selector-cache");
  const { claimRuns } = await import("@/server/queue/claim");
  const { enqueueRun } = await import("@/server/runs/enqueue");
  const { executeRun } = await import("@/server/runs/execute-run");
  const { parseSteps } = await import("@/server/steps/step-parser");

  await createBenchDatabase(dbName);
  await migrateDatabase(process.env.DATABASE_URL);
  const db = createDb(process.env.DATABASE_URL);
  const cache = createSelectorCache({ db, l1: createMemoryKv() });
  const server = await startAppServer();
  const browser = await launchBrowser();
  const log = pino({ level: "silent" });
  let teams = 0;
  const newTeam = async () => (await db.team.create({ data: { name: `bench ${++teams}`, slug: `bench-${teams}` } })).id;

  /** One scenario as the team's test of that name (created on first use, so a later run meets the cache). */
  async function runScenario(teamId: string, s: Scenario): Promise<Outcome> {
    const parsed = parseSteps(s.steps.join("\n"));
    if (!parsed.ok) throw new Error(`${s.name}: ${JSON.stringify(parsed.errors)}`);
    const test =
      (await db.test.findFirst({ where: { teamId, name: s.name } })) ??
      (await db.test.create({ data: { teamId, name: s.name, startUrl: server.url, source: s.steps.join("\n"), steps: parsed.steps } }));
    const { id } = await enqueueRun(db, { teamId, testId: test.id, trigger: "MANUAL" });
    const [run] = await claimRuns(db, "w-realapps", 1);
    if (run?.id !== id) throw new Error(`claimed ${run?.id ?? "nothing"} instead of ${id}`);
    let state: Item[] | null = null;
    const outcome = await executeRun(db, run, {
      workerId: "w-realapps",
      browser,
      log,
      cache,
      onStepDone: async (idx, page) => {
        if (idx === parsed.steps.length - 1) state = await referenceState(page);
      },
    });
    const row = await db.run.findUniqueOrThrow({ where: { id }, include: { runSteps: { orderBy: { stepIdx: "asc" } } } });
    const heals = row.runSteps.filter((r) => r.healed).length;
    const rediscovered = row.runSteps.filter((r) => /re-?discover/i.test(r.note ?? "")).length;
    const failedStep = row.runSteps.find((r) => r.status === "FAILED");
    if (outcome !== "PASSED") return { ok: false, failed: true, wrong: false, heals, rediscovered, error: `step ${failedStep ? failedStep.stepIdx + 1 : "?"}: ${(failedStep?.errorMessage ?? row.errorMessage ?? outcome).slice(0, 160)}` };
    const right = state !== null && sameState(state, s.expect);
    return { ok: right, failed: false, wrong: !right, heals, rediscovered, ...(right ? {} : { error: `reference state ${JSON.stringify(state)}` }) };
  }

  const perApp = new Map<string, Tally>();
  const perScenario = new Map<string, Tally>();
  const cold = tally();
  const after = tally();
  const warm = tally();
  const failures: string[] = [];
  const note = (where: string, o: Outcome) => void (o.ok || failures.push(`${where}: ${o.wrong ? "WRONG " : ""}${o.error}`));
  try {
    if (modes.includes("cold")) {
      for (const app of apps) {
        server.use(app);
        for (const s of scenarios) {
          const o = await runScenario(await newTeam(), s);
          count(cold, o);
          count(perApp.get(app) ?? perApp.set(app, tally()).get(app)!, o);
          count(perScenario.get(s.name) ?? perScenario.set(s.name, tally()).get(s.name)!, o);
          note(`cold ${app} ${s.name}`, o);
        }
        console.error(`cold ${app}: ${perApp.get(app)!.pass}/${perApp.get(app)!.runs}`);
      }
    }
    const pairs: [string, string][] = [];
    if (modes.includes("swap")) for (let i = 0; i < Math.min(pairCount, apps.length); i++) pairs.push([apps[i]!, apps[(i + 1) % apps.length]!]);
    const perPair: [string, Tally, Tally][] = [];
    for (const [a, b] of pairs) {
      const ta = tally();
      const tw = tally();
      for (const s of scenarios) {
        const team = await newTeam();
        server.use(a);
        const first = await runScenario(team, s);
        if (!first.ok) continue; // a swap measures healing from a run that passed
        server.use(b);
        const o = await runScenario(team, s);
        count(after, o);
        count(ta, o);
        note(`swap ${a}→${b} ${s.name}`, o);
        const w = await runScenario(team, s);
        count(warm, w);
        count(tw, w);
        note(`warm ${a}→${b} ${s.name}`, w);
      }
      perPair.push([`${a}→${b}`, ta, tw]);
      console.error(`swap ${a}→${b}: ${ta.pass}/${ta.runs}, warm ${tw.pass}/${tw.runs}`);
    }

    const line = (name: string, t: Tally) => `| ${name} | ${t.pass}/${t.runs} (${pct(t)}) | ${t.fail} | ${t.wrong} | ${t.heals} | ${t.rediscovered} |`;
    console.log(`\nReal-app bench: ${apps.length} apps, ${scenarios.length} scenarios (${new Date().toISOString().slice(0, 10)})\n`);
    console.log("| measure | pass | fail | wrong-element | heals | re-discovered |\n|---|---|---|---|---|---|");
    if (cold.runs) console.log(line("cold (empty cache)", cold));
    if (after.runs) console.log(line("after the swap", after));
    if (warm.runs) console.log(line("warm after the swap", warm));
    if (perApp.size) {
      console.log("\n| app (cold) | pass | fail | wrong-element | heals | re-discovered |\n|---|---|---|---|---|---|");
      for (const [app, t] of perApp) console.log(line(app, t));
      console.log("\n| scenario (cold) | pass | fail | wrong-element | heals | re-discovered |\n|---|---|---|---|---|---|");
      for (const [name, t] of perScenario) console.log(line(name, t));
    }
    if (perPair.length) {
      console.log("\n| pair | after swap | warm |\n|---|---|---|");
      for (const [name, ta, tw] of perPair) console.log(`| ${name} | ${ta.pass}/${ta.runs} | ${tw.pass}/${tw.runs} |`);
    }
    if (failures.length) console.log(`\nNot passed (${failures.length}):\n${failures.map((f) => `- ${f}`).join("\n")}`);
  } finally {
    await browser.close();
    await server.close();
    await db.$disconnect();
    await dropBenchDatabase(dbName);
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
