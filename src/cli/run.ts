// `pacts run <file>`: runs a test file locally through the product's own engine and storage. The database is
// the product's (DATABASE_URL, then .env — loaded by bin/pacts.mjs — then the embedded cluster); the test is
// filed under a local "cli" team keyed by its `Test:` name; each run is queued like any other (trigger CLI),
// then claimed by id for this process so no worker takes it, and executed in-process with executeRun.
import { readFile } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";
import type { Writable } from "node:stream";
import { chromium, type Browser } from "playwright-core";
import { CACHE_SOURCES, type CacheSource, type RunStatusName } from "@/domain/run";
import type { PrismaClient } from "@/generated/prisma/client";
import { chromiumLaunchArgs, newRunContext } from "@/server/browser";
import { browserEnv, resetServerEnv } from "@/server/env";
import { parseTestFile, type ParsedTest } from "@/server/steps/test-file";
import { logger } from "@/server/logger";
import { closeRedis } from "@/server/redis";
import { cancelRun } from "@/server/runs/cancel";
import { enqueueRun } from "@/server/runs/enqueue";
import { executeRun } from "@/server/runs/execute-run";
import { openCliDatabase, type CliDatabase } from "./database";
import { writeJunit } from "./junit";
import {
  exitCodeFor,
  overallStatus,
  RUN_REPORT_VERSION,
  type RunReport,
  type RunSummary,
  type StepReport,
  ZRunReport,
} from "./run-report";

export const CLI_TEAM_SLUG = "cli";
export const CLI_TEAM_NAME = "cli";
/** A run a worker grabbed first is followed for at most this long. */

export type RunCommandOptions = { file: string; url?: string; noCache: boolean; headed: boolean; json: boolean; junit?: string };

export type CliIo = {
  stdout: Writable;
  stderr: Writable;
  /** The process environment (bin/pacts.mjs has already merged the project's .env into it). */
  env: Record<string, string | undefined>;
  cwd: string;
  /** The checkout root: where .data (embedded cluster state, artifacts) lives, whatever the cwd. */
  projectDir: string;
  /** Aborted on SIGINT/SIGTERM. */
  signal?: AbortSignal;
};

export const EXIT = { PASSED: 0, FAILED: 1, USAGE: 2, INTERRUPTED: 130 } as const;

const write = (out: Writable, text: string) =>
  new Promise<void>((resolve) => {
    out.write(text, () => resolve());
  });

/** Loads and parses the test file; prints every parse error (line, reason, suggestion) and returns undefined. */
export async function loadTestFile(file: string, io: Pick<CliIo, "cwd" | "stderr">): Promise<ParsedTest | undefined> {
  const abs = path.resolve(io.cwd, file);
  let content: string;
  try {
    content = await readFile(abs, "utf8");
  } catch (err) {
    await write(io.stderr, `pacts run: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}\n`);
    return undefined;
  }
  const parsed = parseTestFile(abs, content);
  if (parsed.ok) return parsed.test;
  const lines = [`pacts run: ${file} has ${parsed.errors.length} error(s):`];
  for (const e of parsed.errors) {
    lines.push(`  ${file}:${e.line}: ${e.reason}`);
    if (e.text) lines.push(`      ${e.text}`);
    if (e.suggestion) lines.push(`      suggestion: ${e.suggestion.replace(/\n/g, "\n                  ")}`);
  }
  await write(io.stderr, `${lines.join("\n")}\n`);
  return undefined;
}

function isHttpUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:";
  } catch {
    return false;
  }
}

/** Team "cli" and the test keyed by name, updated to the file's current content. */
export async function upsertCliTest(db: PrismaClient, test: ParsedTest, source: string): Promise<{ teamId: string; testId: string }> {
  const team = await db.team.upsert({
    where: { slug: CLI_TEAM_SLUG },
    create: { name: CLI_TEAM_NAME, slug: CLI_TEAM_SLUG },
    update: {},
    select: { id: true },
  });
  const data = { startUrl: test.url, source, steps: test.steps, dataRows: test.dataRows };
  const row = await db.test.upsert({
    where: { teamId_name: { teamId: team.id, name: test.name } },
    create: { teamId: team.id, name: test.name, ...data },
    update: data,
    select: { id: true },
  });
  return { teamId: team.id, testId: row.id };
}

/** Per-step report rows from the RunStep and HealEvent rows of one run. */
export async function collectSteps(db: PrismaClient, runId: string, runIdx: number): Promise<StepReport[]> {
  const [steps, heals] = await Promise.all([
    db.runStep.findMany({ where: { runId }, orderBy: { stepIdx: "asc" } }),
    db.healEvent.findMany({ where: { runId }, orderBy: [{ stepIdx: "asc" }, { round: "asc" }, { createdAt: "asc" }] }),
  ]);
  const lastHeal = new Map<number, (typeof heals)[number]>();
  for (const h of heals) lastHeal.set(h.stepIdx, h);
  return steps.map((s) => {
    const heal = lastHeal.get(s.stepIdx);
    // A heal the policy refused (the step failed on an unverified candidate) is no heal.
    const healed = s.healed || (s.status === "PASSED" && (heal?.outcome === "HEALED" || heal?.outcome === "UNVERIFIED"));
    const cacheSource = (CACHE_SOURCES as readonly string[]).includes(s.cacheSource ?? "") ? (s.cacheSource as CacheSource) : null;
    return {
      run: runIdx,
      idx: s.stepIdx,
      text: s.text,
      status: s.status,
      strategy: s.strategy,
      selector: s.selector,
      cacheSource,
      healed,
      verified: healed ? (heal?.verified ?? heal?.outcome === "HEALED") : null,
      durationMs: s.durationMs,
      ...(s.errorMessage ? { error: s.errorMessage } : {}),
      ...(s.note ? { note: s.note } : {}),
    };
  });
}

async function summarizeRun(db: PrismaClient, runId: string): Promise<RunSummary> {
  const run = await db.run.findUniqueOrThrow({ where: { id: runId } });
  return {
    id: run.id,
    status: run.status,
    verdict: run.verdict,
    dataRow: (run.dataRow ?? {}) as Record<string, string>,
    durationMs: run.durationMs,
    completedSteps: run.completedSteps,
    totalSteps: run.totalSteps,
    ...(run.errorMessage ? { error: run.errorMessage } : {}),
  };
}

async function launchCliBrowser(headed: boolean): Promise<Browser> {
  const args = chromiumLaunchArgs().filter((a) => !headed || !/^--headless(=|$)/.test(a));
  return chromium.launch({ executablePath: browserEnv().CHROMIUM_PATH, headless: !headed, args });
}

// ---------------------------------------------------------------------------------------------------------------
// Human output

const MARK: Record<StepReport["status"], string> = { PASSED: "✓", FAILED: "✗", SKIPPED: "-", PENDING: "·", RUNNING: "…" };

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

export function formatHuman(report: RunReport): string {
  const out: string[] = [];
  if (report.test) out.push(`pacts run: ${report.test.name}  (${report.test.url})`);
  const runs = report.runs ?? [];
  const width = Math.min(60, Math.max(20, ...report.steps.map((s) => s.text.length)));
  runs.forEach((run, i) => {
    if (runs.length > 1) out.push(`Row ${i + 1}/${runs.length} ${JSON.stringify(run.dataRow)}`);
    for (const s of report.steps.filter((x) => x.run === i)) {
      const heal = s.healed ? (s.verified ? "HEALED" : "HEALED(unverified)") : "";
      const cache = s.cacheSource ? `cache:${s.cacheSource}` : "";
      const ms = s.durationMs === null ? "" : `${s.durationMs} ms`;
      out.push(
        `  ${MARK[s.status]} ${pad(String(s.idx + 1), 3)}${pad(s.text, width)}  ${pad(s.strategy ?? "", 12)} ${pad(heal, 18)} ${pad(cache, 14)} ${ms}`.trimEnd(),
      );
      if (s.note) out.push(`        note: ${s.note}`);
      if (s.error && s.status === "FAILED") out.push(`        ${s.error}`);
    }
    const secs = run.durationMs === null ? "" : `  ${(run.durationMs / 1000).toFixed(2)} s`;
    out.push(`${run.status}${run.verdict ? ` (${run.verdict})` : ""}  ${run.completedSteps}/${run.totalSteps} steps${secs}  run ${run.id}`);
    if (run.error && run.status !== "PASSED") out.push(`  ${run.error}`);
  });
  if (report.error) out.push(`pacts run: ${report.error}`);
  const healed = report.steps.filter((s) => s.healed).length;
  out.push(
    `${report.status}: ${runs.filter((r) => r.status === "PASSED").length}/${runs.length} run(s) passed, ${healed} heal(s), ${(report.durationMs / 1000).toFixed(2)} s`,
  );
  return `${out.join("\n")}\n`;
}

// ---------------------------------------------------------------------------------------------------------------

export async function runCommand(opts: RunCommandOptions, io: CliIo): Promise<number> {
  const test = await loadTestFile(opts.file, io);
  if (!test) return EXIT.USAGE;
  if (opts.junit !== undefined && opts.junit.trim() === "") {
    await write(io.stderr, "pacts run: --junit needs a file path\n");
    return EXIT.USAGE;
  }
  if (opts.url !== undefined) {
    if (!isHttpUrl(opts.url)) {
      await write(io.stderr, `pacts run: --url must be an absolute http(s) URL, got ${JSON.stringify(opts.url)}\n`);
      return EXIT.USAGE;
    }
    test.url = opts.url;
  }
  const source = await readFile(path.resolve(io.cwd, opts.file), "utf8");
  const log = logger.child({ mod: "cli" });
  const say = (msg: string) => void io.stderr.write(`[pacts] ${msg}\n`);

  const started = Date.now();
  let database: CliDatabase | undefined;
  let browser: Browser | undefined;
  const runs: RunSummary[] = [];
  const steps: StepReport[] = [];
  let error: string | undefined;
  let interrupted = false;

  // Chromium starts while the database is found, migrated and the test filed (it needs only its own settings).
  const launching = launchCliBrowser(opts.headed);
  launching.catch(() => undefined); // a failed launch is reported where it is awaited
  try {
    database = await openCliDatabase({ ...io, say });
    // serverEnv() (artifacts, timeouts, Redis) reads DATABASE_URL too; point it at what we resolved.
    io.env.DATABASE_URL = database.url;
    resetServerEnv();
    const db = database.db;
    const { teamId, testId } = await upsertCliTest(db, test, source);
    browser = await launching;
    const workerId = `cli-${hostname()}-${process.pid}`;
    const rows = test.dataRows.length > 0 ? test.dataRows : [undefined];
    for (const [runIdx, row] of rows.entries()) {
      if (io.signal?.aborted) break;
      // The run's browser context opens while the run is being queued; executeRun takes it over.
      const context = newRunContext(browser);
      context.catch(() => undefined); // its failure is reported where executeRun awaits it
      const { id, claimed } = await enqueueRun(db, { teamId, testId, trigger: "CLI", ...(row ? { dataRow: row } : {}) }, { claimFor: workerId }).catch(
        async (err: unknown) => {
          await (await context.catch(() => undefined))?.close().catch(() => undefined);
          throw err;
        },
      );
      // --no-cache: every element is discovered afresh and nothing is read from or written to the selector cache.
      // Upload steps read the files they name from the test file's folder.
      const uploadDir = path.dirname(path.resolve(io.cwd, opts.file));
      const outcome = await executeRun(db, claimed, { workerId, browser, log, signal: io.signal, context, uploadDir, ...(opts.noCache ? { cache: null } : {}) });
      if (outcome === "REQUEUED") {
        // Interrupted: executeRun handed the run back to the queue; a CLI run must not be picked up later.
        await cancelRun(db, { teamId, runId: id, reason: "Interrupted (pacts run)" });
      }
      runs.push(await summarizeRun(db, id));
      steps.push(...(await collectSteps(db, id, runIdx)));
    }
    interrupted = io.signal?.aborted ?? false;
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
    log.error({ err }, "pacts run failed");
  } finally {
    await (browser ?? (await launching.catch(() => undefined)))?.close().catch(() => undefined);
    await closeRedis().catch(() => undefined);
    await database?.close();
  }

  const status: RunStatusName = error ? "ERROR" : interrupted ? "CANCELLED" : overallStatus(runs.map((r) => r.status));
  const report: RunReport = ZRunReport.parse({
    version: RUN_REPORT_VERSION,
    status,
    durationMs: Date.now() - started,
    test: { name: test.name, url: test.url },
    runs,
    steps,
    ...(error ? { error } : {}),
  });
  if (opts.json) await write(io.stdout, `${JSON.stringify(report)}\n`);
  else await write(io.stdout, formatHuman(report));
  if (error && opts.json) await write(io.stderr, `pacts run: ${error}\n`);
  // A CI job that asked for a report and got none must not look green.
  const junitProblem = opts.junit === undefined ? undefined : await writeJunit(path.resolve(io.cwd, opts.junit), report);
  if (junitProblem) await write(io.stderr, `pacts run: ${junitProblem}\n`);
  if (interrupted) return EXIT.INTERRUPTED;
  return junitProblem ? EXIT.FAILED : exitCodeFor(report.status);
}
