// Drives one claimed run in a fresh browser context: open the start URL, execute each step (variables bound from
// the run's data row), record every step as it goes (status, strategy, selector, duration, screenshot) so the
// UI follows live, stop at the first failure, store a generated Playwright spec, and settle the run. Whatever
// happens, the run leaves RUNNING: PASSED/FAILED for test outcomes, ERROR for infrastructure problems, back to
// PENDING when the worker is stopped mid-run.
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { Logger } from "pino";
import { ZDataRow } from "@/domain/run";
import { type Step, ZSteps } from "@/domain/step";
import type { PrismaClient } from "@/generated/prisma/client";
import type { RunVerdict } from "@/generated/prisma/enums";
import { newRunContext } from "../browser";
import { getL1 } from "../cache/kv";
import { createSelectorCache, type SelectorCache } from "../cache/selector-cache";
import { diffCacheStats, recordCacheRequests, recordWrongHeal, type LayerStatsSnapshot } from "../metrics/rollups";
import { detectChallenge } from "../heal/challenge";
import { serverEnv } from "../env";
import { generateSpec, type CodegenStep } from "../heal/codegen";
import { executeStep, type FailureKind, gotoUrl, shortError, StepFailure, type StepContext } from "../heal/executor";
import { bindVariables, createBuiltins } from "@/server/heal/step-parser";
import { logger } from "../logger";
import type { ClaimedRun } from "../queue/claim";
import { finishRun, heartbeat, requeueRun } from "../queue/settle";
import { deleteRunArtifacts, writeArtifact } from "../storage/artifact-store";

export const DEMO_VERSION_COOKIE = "pacts_demo_version";

export type ExecuteRunOptions = {
  workerId: string;
  browser: Browser;
  log?: Logger;
  signal?: AbortSignal;
  /** Scripts added to the browser context before any page script (tests: the corpus ground-truth recorder). */
  initScripts?: string[];
  /** Selector cache; undefined = the process default (Redis or memory L1 + Postgres L2), null = no cache. */
  cache?: SelectorCache | null;
  /** Heal rounds per step (default 3). */
  healBudget?: number;
  /** Called after each executed step with the page (progress output, test probes). */
  onStepDone?: (stepIdx: number, page: Page) => Promise<void>;
};
export type ExecuteRunOutcome = "PASSED" | "FAILED" | "ERROR" | "BLOCKED" | "REQUEUED" | "LOST";

const VERDICTS: Record<FailureKind, RunVerdict> = {
  ASSERTION: "ASSERTION_FAILED",
  NOT_FOUND: "SELECTOR_DRIFT_NOT_HEALED",
  TIMEOUT: "TIMEOUT",
  NAVIGATION: "NAVIGATION_ERROR",
  APP: "APP_ERROR",
};

export function verdictFor(kind: FailureKind): RunVerdict {
  return VERDICTS[kind];
}

class WorkerStopped extends Error {}

async function screenshot(db: PrismaClient, page: Page, runId: string, stepIdx: number, log: Logger): Promise<void> {
  try {
    const bytes = await page.screenshot({ timeout: 5000 });
    await writeArtifact(db, { runId, stepIdx, type: "SCREENSHOT", name: `step-${stepIdx}.png`, bytes, mime: "image/png" });
  } catch (err) {
    // A missing screenshot must not turn a passing step into a failure; the step row still tells the story.
    log.warn({ err, stepIdx }, "screenshot failed");
  }
}

/** Resets rows and files a previous attempt of this run left behind, then lists every step as PENDING. */
async function prepareSteps(db: PrismaClient, runId: string, steps: Step[]): Promise<void> {
  await deleteRunArtifacts(runId);
  await db.$transaction([
    db.artifact.deleteMany({ where: { runId } }),
    db.runStep.deleteMany({ where: { runId } }),
    db.runStep.createMany({
      data: steps.map((s, stepIdx) => ({
        runId,
        stepIdx,
        text: s.text,
        action: s.action,
        element: s.target?.name ?? null,
        value: s.value ?? null,
        status: "PENDING" as const,
      })),
    }),
  ]);
}

const defaultCaches = new WeakMap<PrismaClient, SelectorCache>();
function cacheFor(db: PrismaClient, opt: SelectorCache | null | undefined): SelectorCache | null {
  if (opt !== undefined) return opt;
  let cache = defaultCaches.get(db);
  if (!cache) defaultCaches.set(db, (cache = createSelectorCache({ db, l1: getL1() })));
  return cache;
}

/** Keeps the page's HTML and a screenshot of a challenge page, then settles the run BLOCKED. */
async function keepBlockedEvidence(db: PrismaClient, page: Page, runId: string, stepIdx: number | null): Promise<void> {
  const html = await page.content().catch(() => "");
  await writeArtifact(db, { runId, stepIdx, type: "HTML", name: "blocked.html", bytes: Buffer.from(html), mime: "text/html" }).catch(() => undefined);
  const png = await page.screenshot({ timeout: 5000 }).catch(() => null);
  if (png) await writeArtifact(db, { runId, stepIdx, type: "SCREENSHOT", name: "blocked.png", bytes: png, mime: "image/png" }).catch(() => undefined);
}

/** Heal precision: did the rest of the run pass after each heal, and did a later assertion prove it wrong? */
async function settleHealEvents(db: PrismaClient, run: ClaimedRun, passed: boolean, failedAssertionIdx: number | null): Promise<void> {
  const events = await db.healEvent.findMany({ where: { runId: run.id, outcome: { in: ["HEALED", "UNVERIFIED"] } }, select: { id: true, stepIdx: true } });
  let wrongHeals = 0;
  await db.$transaction(async (tx) => {
    for (const e of events) {
      const wrong = failedAssertionIdx !== null && failedAssertionIdx > e.stepIdx;
      if (wrong) wrongHeals++;
      await tx.healEvent.update({ where: { id: e.id }, data: { restPassed: passed, wrongHeal: wrong } });
    }
    if (wrongHeals > 0) await recordWrongHeal(tx, { teamId: run.teamId, count: wrongHeals });
  });
}

async function openContext(db: PrismaClient, browser: Browser, run: ClaimedRun, initScripts: string[] = []): Promise<BrowserContext> {
  const context = await newRunContext(browser);
  for (const script of initScripts) await context.addInitScript({ content: script });
  const url = new URL(run.url);
  if (url.pathname.startsWith("/demo/")) {
    // The bundled demo site serves v1 or the v2 redesign at one URL, chosen per team by this cookie.
    const team = await db.team.findUnique({ where: { id: run.teamId }, select: { demoVersion: true } });
    await context.addCookies([{ name: DEMO_VERSION_COOKIE, value: String(team?.demoVersion ?? 1), url: url.origin }]);
  }
  return context;
}

export async function executeRun(db: PrismaClient, run: ClaimedRun, opts: ExecuteRunOptions): Promise<ExecuteRunOutcome> {
  const { workerId, signal } = opts;
  const log = (opts.log ?? logger).child({ workerId, runId: run.id });
  const env = serverEnv();
  let context: BrowserContext | undefined;
  let completed = 0;
  let outcome: ExecuteRunOutcome | undefined;
  // Closing the context makes any in-flight Playwright call throw, so a stop never waits out a step timeout.
  const onAbort = () => void context?.close().catch(() => undefined);
  signal?.addEventListener("abort", onAbort);

  // Cache requests are counted per run from two snapshots of the process's cache counters; a worker runs one
  // run at a time, so the difference is this run's lookups.
  let cache: SelectorCache | null = null;
  let cacheBefore: LayerStatsSnapshot | undefined;
  const flushCacheMetrics = async () => {
    if (!cache || !cacheBefore) return;
    const counts = diffCacheStats(cacheBefore, cache.stats().layers);
    cacheBefore = undefined;
    if (counts.length > 0) await recordCacheRequests(db, run.teamId, counts).catch((err: unknown) => log.warn({ err }, "could not record cache metrics"));
  };

  const finish = async (status: "PASSED" | "FAILED" | "ERROR" | "BLOCKED", verdict: RunVerdict | null, errorMessage?: string) => {
    await flushCacheMetrics();
    const owned = await finishRun(db, run.id, workerId, { status, verdict, errorMessage, completedSteps: completed });
    outcome = owned ? status : "LOST";
    log.info({ status, verdict, errorMessage, completedSteps: completed, owned }, "run finished");
  };

  try {
    const stepsParsed = ZSteps.safeParse(run.steps);
    const rowParsed = ZDataRow.safeParse(run.dataRow);
    if (!stepsParsed.success || !rowParsed.success) {
      await finish("ERROR", null, "The run's stored steps or data row are invalid; edit the test and run it again");
      return outcome!;
    }
    const steps = stepsParsed.data;
    const dataRow = rowParsed.data;
    log.info({ attempt: run.attempts, steps: steps.length, url: run.url }, "run started");
    await prepareSteps(db, run.id, steps);

    let startUrl: URL;
    try {
      startUrl = new URL(run.url);
    } catch {
      await finish("FAILED", "NAVIGATION_ERROR", `The start URL ${JSON.stringify(run.url)} is not a valid URL`);
      return outcome!;
    }
    context = await openContext(db, opts.browser, run, opts.initScripts);
    cache = cacheFor(db, opts.cache);
    cacheBefore = cache?.stats().layers;
    if (signal?.aborted) throw new WorkerStopped();
    const page = await context.newPage();
    const ctx: StepContext = {
      startUrl: startUrl.toString(),
      stepTimeoutMs: env.STEP_TIMEOUT_MS,
      navigationTimeoutMs: env.NAVIGATION_TIMEOUT_MS,
    };

    const builtins = createBuiltins();
    const codegenSteps: CodegenStep[] = steps.map((step) => ({ step: bindVariables(step, dataRow, builtins) }));
    let failure: { kind: FailureKind; message: string; stepIdx?: number } | undefined;
    let healedSteps = 0;
    let healRounds = 0;
    let blocked: string | null = null;

    try {
      await gotoUrl(page, run.url, env.NAVIGATION_TIMEOUT_MS);
    } catch (err) {
      if (signal?.aborted) throw new WorkerStopped();
      if (!(err instanceof StepFailure)) throw err;
      failure = { kind: err.kind, message: err.message };
    }
    blocked = await detectChallenge(page);
    if (blocked) failure ??= { kind: "APP", message: `Blocked by a CAPTCHA or bot challenge (${blocked})` };

    for (let idx = 0; idx < steps.length && !failure; idx++) {
      if (signal?.aborted) throw new WorkerStopped();
      const bound = codegenSteps[idx]!.step;
      const where = { runId_stepIdx: { runId: run.id, stepIdx: idx } };
      await db.runStep.update({ where, data: { status: "RUNNING", startedAt: new Date(), value: bound.value ?? null } });
      const engine = { db, cache, teamId: run.teamId, runId: run.id, stepIdx: idx, healPolicy: run.healPolicy, healBudget: opts.healBudget };
      const result = await executeStep(page, bound, { ...ctx, engine });
      if (signal?.aborted) throw new WorkerStopped();
      await screenshot(db, page, run.id, idx, log);
      await opts.onStepDone?.(idx, page);
      await db.runStep.update({
        where,
        data: {
          status: result.status,
          strategy: result.strategy ?? null,
          selector: result.selector ?? null,
          confidence: result.confidence ?? null,
          cacheSource: bound.target ? (result.cacheSource ?? "miss") : null,
          healed: result.healed ?? false,
          healAttempts: result.healAttempts ?? 0,
          durationMs: result.durationMs,
          errorMessage: result.error ?? null,
          finishedAt: new Date(),
        },
      });
      codegenSteps[idx]!.locatorCode = result.locatorCode;
      log.debug({ stepIdx: idx, status: result.status, strategy: result.strategy, ms: result.durationMs, tried: result.tried }, "step done");
      if (result.healed) healedSteps++;
      healRounds += result.healRounds ?? 0;
      if (result.healRounds) await db.run.update({ where: { id: run.id }, data: { healRounds } });
      if (result.status === "PASSED") completed++;
      else {
        failure = { kind: result.failure ?? "APP", message: `Step ${idx + 1} (${JSON.stringify(bound.text)}) failed: ${result.error}`, stepIdx: idx };
        blocked = await detectChallenge(page);
        if (blocked) failure.message = `Blocked by a CAPTCHA or bot challenge (${blocked}); ${failure.message}`;
      }
      if (!(await heartbeat(db, run.id, workerId, completed))) {
        log.warn("run no longer owned by this worker (cancelled or released); stopping");
        outcome = "LOST";
        return outcome;
      }
    }

    const spec = generateSpec({ testName: run.testName, startUrl: run.url, steps: codegenSteps });
    await writeArtifact(db, { runId: run.id, stepIdx: null, type: "TEST_FILE", name: "test.spec.ts", bytes: Buffer.from(spec), mime: "text/typescript" });

    const failedAssertion = failure?.kind === "ASSERTION" && failure.stepIdx !== undefined ? failure.stepIdx : null;
    await settleHealEvents(db, run, !failure, failedAssertion).catch((err: unknown) => log.warn({ err }, "could not settle heal events"));
    if (blocked) {
      await keepBlockedEvidence(db, page, run.id, failure?.stepIdx ?? null);
      await finish("BLOCKED", "BLOCKED", failure?.message);
    } else if (failure) await finish("FAILED", verdictFor(failure.kind), failure.message);
    else await finish("PASSED", healedSteps > 0 ? "SELECTOR_DRIFT_HEALED" : "CLEAN");
    return outcome!;
  } catch (err) {
    if (err instanceof WorkerStopped || signal?.aborted) {
      const requeued = await requeueRun(db, run.id, workerId, "Worker stopped during the run").catch(() => false);
      log.info({ requeued }, "worker stopped mid-run; run handed back");
      outcome = "REQUEUED";
      return outcome;
    }
    log.error({ err }, "run crashed");
    await finish("ERROR", null, `Worker error: ${shortError(err)}`).catch((e: unknown) => log.error({ err: e }, "could not settle run"));
    return outcome ?? "ERROR";
  } finally {
    signal?.removeEventListener("abort", onAbort);
    if (!outcome) {
      await finishRun(db, run.id, workerId, { status: "ERROR", verdict: null, errorMessage: "Run ended unexpectedly" }).catch(() => false);
    }
    // Steps that never got to run are SKIPPED; a step caught mid-flight by a crash is FAILED. A requeued run's
    // steps are reset by the next attempt.
    if (outcome !== "REQUEUED") {
      await db.runStep
        .updateMany({ where: { runId: run.id, status: "RUNNING" }, data: { status: "FAILED", finishedAt: new Date(), errorMessage: "Run stopped" } })
        .catch(() => undefined);
      await db.runStep.updateMany({ where: { runId: run.id, status: "PENDING" }, data: { status: "SKIPPED" } }).catch(() => undefined);
    }
    await context?.close().catch(() => undefined);
  }
}
