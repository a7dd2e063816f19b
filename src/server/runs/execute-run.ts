// Drives one claimed run in a fresh browser context: open the start URL, execute each step (variables bound from
// the run's data row), record every step as it goes (status, strategy, selector, duration, screenshot) so the
// UI follows live, stop at the first failure, store a generated Playwright spec, and settle the run. Whatever
// happens, the run leaves RUNNING: PASSED/FAILED for test outcomes, ERROR for infrastructure problems, back to
// PENDING when the worker is stopped mid-run.
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { Logger } from "pino";
import { DEFAULT_RUN_TIME_LIMIT_SEC, ZDataRow } from "@/domain/run";
import { type Step, ZSteps } from "@/domain/step";
import type { PrismaClient } from "@/generated/prisma/client";
import type { RunVerdict } from "@/generated/prisma/enums";
import { evaluateRunAlerts } from "../alerts/evaluate";
import { newRunContext } from "../browser";
import { getL1 } from "../cache/kv";
import { createSelectorCache, type SelectorCache } from "../cache/selector-cache";
import { diffCacheStats, recordCacheRequests, recordWrongHeal, type LayerStatsSnapshot } from "../metrics/rollups";
import { detectChallenge } from "../heal/page/challenge";
import { serverEnv } from "../env";
import { generateSpec, type CodegenStep } from "../heal/emit/codegen";
import { answerDialogs, executeStep, type FailureKind, gotoUrl, precheckStep, shortError, StepFailure, type StepContext, type StepResult } from "../heal/act/executor";
import type { Precheck } from "../heal/resolve/resolve";
import { Tabs } from "../heal/page/tabs";
import { bindVariables, createBuiltins } from "@/server/steps/variables";
import { logger } from "../logger";
import type { ClaimedRun } from "../queue/claim";
import { finishRun, heartbeat, ownedBy, requeueRun, type RunOwner } from "../queue/settle";
import { deleteRunArtifacts, writeArtifact } from "../storage/artifact-store";
import { guardOf, UrlGuard } from "./url-guard";
import { keepTrace, startTrace, stopTrace } from "./trace";
import { WriteBehind } from "./write-behind";

export const DEMO_VERSION_COOKIE = "pacts_demo_version";

export type ExecuteRunOptions = {
  workerId: string;
  browser: Browser;
  log?: Logger;
  signal?: AbortSignal;
  /** Aborted when the worker learns it no longer owns the run (its heartbeat's compare-and-set failed): the
   * browser work stops at once and nothing more is written. */
  lost?: AbortSignal;
  /** Scripts added to the browser context before any page script (tests: the corpus ground-truth recorder). */
  initScripts?: string[];
  /** Selector cache; undefined = the process default (Redis or memory L1 + Postgres L2), null = no cache. */
  cache?: SelectorCache | null;
  /** Heal rounds per step (default 3). */
  healBudget?: number;
  /** Called after each executed step with the page (progress output, test probes). */
  onStepDone?: (stepIdx: number, page: Page) => Promise<void>;
  /**
   * A fresh context (newRunContext) the caller opened ahead, e.g. while the run was being queued; executeRun
   * owns it from here and closes it. Default: executeRun opens one.
   */
  context?: Promise<BrowserContext>;
  /** A folder the run's Upload steps may read files from besides PACTS_UPLOAD_DIR: `pacts run` passes the test
   * file's folder. A worker passes none, so a team's test cannot upload the server's own files. */
  uploadDir?: string;
};
export type ExecuteRunOutcome = "PASSED" | "FAILED" | "ERROR" | "BLOCKED" | "REQUEUED" | "LOST";

const VERDICTS: Record<FailureKind, RunVerdict> = {
  ASSERTION: "ASSERTION_FAILED",
  NOT_FOUND: "SELECTOR_DRIFT_NOT_HEALED",
  TIMEOUT: "TIMEOUT",
  NAVIGATION: "NAVIGATION_ERROR",
  APP: "APP_ERROR",
  POLICY: "BLOCKED_BY_POLICY",
};

function formatLimit(sec: number): string {
  if (sec % 3600 === 0) return `${sec / 3600} h`;
  if (sec % 60 === 0) return `${sec / 60} min`;
  return `${sec} s`;
}

export function verdictFor(kind: FailureKind): RunVerdict {
  return VERDICTS[kind];
}

class WorkerStopped extends Error {}

/**
 * Between steps the run's heartbeat (which also finds out whether the run was cancelled) is written at most this
 * often; the worker loop beats on a timer as well, and settling the run checks ownership in any case.
 */
const STEP_HEARTBEAT_MS = 1000;

/** The step's screenshot, stored behind the run (a missing screenshot never fails a step; the row tells the story). */
async function screenshot(db: PrismaClient, page: Page, writes: WriteBehind, runId: string, stepIdx: number, log: Logger): Promise<void> {
  const bytes = await page.screenshot({ timeout: 5000 }).catch((err: unknown) => void log.warn({ err, stepIdx }, "screenshot failed"));
  if (!bytes) return;
  writes.push(() =>
    writeArtifact(db, { runId, stepIdx, type: "SCREENSHOT", name: `step-${stepIdx}.png`, bytes, mime: "image/png", replace: false }).catch((err: unknown) =>
      log.warn({ err, stepIdx }, "could not store the screenshot"),
    ),
  );
}

/** What the step did beyond its action, for its row (null when nothing). */
export function stepNote(result: Pick<StepResult, "note" | "revealed">): string | null {
  const parts = [result.note, result.revealed?.length ? `An overlay took the action: ${result.revealed.join(", ")}; acted again` : undefined];
  return parts.filter(Boolean).join("; ") || null;
}

/** Resets rows and files a previous attempt of this run left behind (a first attempt has none), then lists
 * every step as PENDING. */
async function prepareSteps(db: PrismaClient, run: ClaimedRun, steps: Step[]): Promise<void> {
  const runId = run.id;
  const rows = db.runStep.createMany({
    data: steps.map((s, stepIdx) => ({
      runId,
      stepIdx,
      text: s.text,
      action: s.action,
      element: s.target?.name ?? null,
      value: s.value ?? null,
      status: "PENDING" as const,
    })),
  });
  if (run.attempts <= 1) {
    await rows;
    return;
  }
  await deleteRunArtifacts(runId);
  await db.$transaction([db.artifact.deleteMany({ where: { runId } }), db.runStep.deleteMany({ where: { runId } }), rows]);
}

/** The default cache is one instance per run over the process's shared layers (the instance holds only its
 * counters), so a worker running several runs at once counts each run's lookups exactly. */
function cacheFor(db: PrismaClient, opt: SelectorCache | null | undefined): SelectorCache | null {
  if (opt !== undefined) return opt;
  return createSelectorCache({ db, l1: getL1() });
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
  if (events.length === 0) return;
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

async function openContext(db: PrismaClient, browser: Browser, run: ClaimedRun, initScripts: string[] = [], opened?: Promise<BrowserContext>): Promise<BrowserContext> {
  const context = await (opened ?? newRunContext(browser));
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
  // Every write below is compare-and-set on this claim: worker and attempt (queue/settle.ts).
  const owner: RunOwner = { workerId, attempt: run.attempts };
  const mine = ownedBy(owner);
  const log = (opts.log ?? logger).child({ workerId, runId: run.id });
  const env = serverEnv();
  let context: BrowserContext | undefined;
  let completed = 0;
  let totalSteps = 0;
  // Step rows, screenshots and heartbeats are written behind the browser (write-behind.ts); a heartbeat that
  // finds the run no longer ours is seen at the next step.
  const writes = new WriteBehind();
  let owned = true;
  let lastBeat = Date.now();
  let outcome: ExecuteRunOutcome | undefined;
  const lost = (): ExecuteRunOutcome => {
    log.warn("run no longer owned by this worker (cancelled or released); stopping");
    return (outcome = "LOST");
  };
  // Closing the context makes any in-flight Playwright call throw, so a stop never waits out a step timeout.
  const onAbort = () => void context?.close().catch(() => undefined);
  signal?.addEventListener("abort", onAbort);
  const onLost = () => {
    owned = false;
    onAbort();
  };
  // The run's time limit (a test setting): over it the browser work is stopped the same way, and the run ends
  // FAILED/TIMEOUT whatever the interrupted step reported.
  const limitSec = run.timeLimitSec ?? DEFAULT_RUN_TIME_LIMIT_SEC;
  let timedOut = false;
  const limitTimer = setTimeout(() => {
    timedOut = true;
    log.warn({ limitSec }, "run time limit reached; stopping the run");
    onAbort();
  }, limitSec * 1000);
  if (opts.lost?.aborted) owned = false;
  opts.lost?.addEventListener("abort", onLost);

  // Cache requests are counted per run from two snapshots of the cache's counters: the default cache is this
  // run's own (cacheFor); a cache the caller passes is theirs to share only between runs that do not overlap.
  let cache: SelectorCache | null = null;
  let cacheBefore: LayerStatsSnapshot | undefined;
  const flushCacheMetrics = async () => {
    if (!cache || !cacheBefore) return;
    const counts = diffCacheStats(cacheBefore, cache.stats().layers);
    cacheBefore = undefined;
    if (counts.length > 0) await recordCacheRequests(db, run.teamId, counts).catch((err: unknown) => log.warn({ err }, "could not record cache metrics"));
  };

  const finish = async (status: "PASSED" | "FAILED" | "ERROR" | "BLOCKED", verdict: RunVerdict | null, errorMessage?: string) => {
    if (timedOut) {
      status = "FAILED";
      verdict = "TIMEOUT";
      errorMessage = `The run took longer than its time limit of ${formatLimit(limitSec)} (after ${completed} of ${totalSteps} steps); raise it in the test's settings if it needs more`;
    }
    if (status !== "PASSED" && !opts.browser.isConnected()) {
      // Chromium crashed under the run (it is relaunched for the next one): not the test's fault, so the run goes
      // back to the queue (this attempt counts) instead of failing with "Target closed".
      await flushCacheMetrics();
      const requeued = await requeueRun(db, run.id, owner, "Chromium crashed during the run");
      outcome = requeued ? "REQUEUED" : "LOST";
      log.warn({ status, errorMessage, requeued }, "the browser disconnected during the run; run handed back");
      return;
    }
    // Independent rows: the cache counts and the run's own settle go to Postgres side by side.
    const [, owned] = await Promise.all([
      flushCacheMetrics(),
      finishRun(db, run.id, owner, { status, verdict, errorMessage, completedSteps: completed, startTime: run.attemptStartedAt }),
    ]);
    outcome = owned ? status : "LOST";
    log.info({ status, verdict, errorMessage, completedSteps: completed, owned }, "run finished");
    // Alert rules see the settled run; a worker sends what they queue (src/server/alerts/dispatch.ts).
    if (owned) await evaluateRunAlerts(db, run.id, { publicUrl: serverEnv().publicUrl }).catch((err: unknown) => log.warn({ err }, "could not evaluate alert rules"));
  };

  try {
    const stepsParsed = ZSteps.safeParse(run.steps);
    const rowParsed = ZDataRow.safeParse(run.dataRow);
    if (!stepsParsed.success || !rowParsed.success) {
      await finish("ERROR", null, "The run's stored steps or data row are invalid; edit the test and run it again");
      return outcome!;
    }
    const steps = stepsParsed.data;
    totalSteps = steps.length;
    const dataRow = rowParsed.data;
    log.info({ attempt: run.attempts, steps: steps.length, url: run.url }, "run started");
    writes.push(() => prepareSteps(db, run, steps));

    let startUrl: URL;
    try {
      startUrl = new URL(run.url);
    } catch {
      await finish("FAILED", "NAVIGATION_ERROR", `The start URL ${JSON.stringify(run.url)} is not a valid URL`);
      return outcome!;
    }
    // Nothing is opened for a start URL the policy refuses (not even a browser context).
    const startRefused = new UrlGuard(env.urlPolicy).check(startUrl.toString());
    if (startRefused) {
      await finish("FAILED", "BLOCKED_BY_POLICY", startRefused.message);
      return outcome!;
    }
    context = await openContext(db, opts.browser, run, opts.initScripts, opts.context);
    // (A context not made by newRunContext has no egress proxy; its guard still checks Go to.)
    const guard = guardOf(context) ?? new UrlGuard(env.urlPolicy);
    const tracing = await startTrace(context, run.testName);
    cache = cacheFor(db, opts.cache);
    cacheBefore = cache?.stats().layers;
    if (signal?.aborted) throw new WorkerStopped();
    const page = await context.newPage();
    const onDialog = (d: { type: string; message: string }) => log.info(d, "answered a JavaScript dialog with OK");
    answerDialogs(page, onDialog);
    // Pages the run's clicks open (target=_blank, window.open) are kept; steps act on `tabs.page` from here on.
    const tabs = new Tabs(context, page, (opened) => {
      answerDialogs(opened, onDialog);
      log.info("a new tab opened");
    });
    const ctx: StepContext = {
      startUrl: startUrl.toString(),
      stepTimeoutMs: env.STEP_TIMEOUT_MS,
      navigationTimeoutMs: env.NAVIGATION_TIMEOUT_MS,
      uploadDirs: [opts.uploadDir, env.PACTS_UPLOAD_DIR].filter((d): d is string => !!d),
      tabs,
      urlGuard: guard,
    };

    const builtins = createBuiltins();
    const codegenSteps: CodegenStep[] = steps.map((step) => ({ step: bindVariables(step, dataRow, builtins) }));
    let failure: { kind: FailureKind; message: string; stepIdx?: number } | undefined;
    let healedSteps = 0;
    let healRounds = 0;
    let healAttempts = 0;
    let blocked: string | null = null;
    const engineFor = (stepIdx: number) => ({ db, cache, teamId: run.teamId, runId: run.id, stepIdx, healPolicy: run.healPolicy, healBudget: opts.healBudget });
    // A step's cache lookup and hit check are made ahead of it while the page is only being looked at (the
    // challenge check, the previous step's screenshot), and confirmed with one call when the step runs.
    const precheck = (stepIdx: number): Promise<Precheck | null> | undefined =>
      cache && stepIdx < steps.length ? precheckStep(tabs.page, codegenSteps[stepIdx]!.step, engineFor(stepIdx), env.STEP_TIMEOUT_MS) : undefined;
    let ahead: Promise<Precheck | null> | undefined;

    // The first step's element is looked up as soon as the start page is parsed, while its images, fonts and
    // scripts still load (the look is only trusted if nothing changes before the step acts; see hit-check.ts).
    // The look runs in the page's main world; the action after it in Playwright's utility world. Each world
    // installs Playwright's selector engine on first use (~20-30 ms), and the utility world's is asked for here,
    // alongside the look, instead of after it by the first action (a no-op count; a bench/ measurement).
    const early = cache && steps.length > 0
      ? page.waitForEvent("domcontentloaded", { timeout: env.NAVIGATION_TIMEOUT_MS }).then(() => {
          void page.locator(":root").count().catch(() => undefined);
          return precheck(0);
        }, () => undefined)
      : undefined;
    try {
      await gotoUrl(page, run.url, env.NAVIGATION_TIMEOUT_MS, guard);
    } catch (err) {
      if (signal?.aborted) throw new WorkerStopped();
      if (!(err instanceof StepFailure)) throw err;
      failure = { kind: err.kind, message: err.message };
    }
    // The challenge check reads the page while the first step's element is looked up. It is answered before the
    // first step acts, unless that element is already a good cache hit (a page showing the very element the
    // test used before, looking as it did, is not an interstitial): then right after, before anything else.
    let challenge: Promise<string | null> | undefined = detectChallenge(page);
    const answerChallenge = async () => {
      if (!challenge) return;
      blocked = await challenge;
      challenge = undefined;
      if (blocked) failure ??= { kind: "APP", message: `Blocked by a CAPTCHA or bot challenge (${blocked})` };
    };
    if (failure) await answerChallenge();
    // (undefined from the early look: the start page never reported being parsed; look now.)
    else ahead = early ? early.then((pre) => (pre === undefined ? (precheck(0) ?? null) : pre)) : precheck(0);

    for (let idx = 0; idx < steps.length && !failure; idx++) {
      if (signal?.aborted) throw new WorkerStopped();
      writes.check();
      if (!owned) return lost();
      const bound = codegenSteps[idx]!.step;
      // Step rows are written only while this claim still owns the run (a later attempt resets and owns them).
      const where = { runId: run.id, stepIdx: idx, run: mine };
      const engine = { ...engineFor(idx), precheck: await ahead };
      if (!engine.precheck?.watching) {
        await answerChallenge();
        if (failure) break;
      }
      const startedAt = new Date();
      writes.push(() => db.runStep.updateMany({ where, data: { status: "RUNNING", startedAt, value: bound.value ?? null } }));
      const result = await executeStep(tabs.page, bound, { ...ctx, engine });
      if (signal?.aborted) throw new WorkerStopped();
      if (!owned) return lost();
      // A page the step navigated to (a click on a link, a script) that the URL policy refused fails the step.
      const refused = guard.takeRefusals()[0];
      if (refused && result.status === "PASSED") Object.assign(result, { status: "FAILED", failure: "POLICY", error: refused.message });
      await answerChallenge();
      ahead = result.status === "PASSED" ? precheck(idx + 1) : undefined;
      // (The tab the step left current: a switch's screenshot shows the tab it switched to. None of a page the
      // URL policy refused: it shows the browser's error page at best.)
      if (result.failure !== "POLICY") await screenshot(db, tabs.page, writes, run.id, idx, log);
      await opts.onStepDone?.(idx, tabs.page);
      const finishedAt = new Date();
      const note = stepNote(result);
      writes.push(() => db.runStep.updateMany({
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
          note,
          finishedAt,
        },
      }));
      codegenSteps[idx]!.locatorCode = result.locatorCode;
      codegenSteps[idx]!.upload = result.upload;
      log.debug({ stepIdx: idx, status: result.status, strategy: result.strategy, ms: result.durationMs, tried: result.tried }, "step done");
      if (note) log.info({ stepIdx: idx, note }, note);
      if (result.healed) healedSteps++;
      healRounds += result.healRounds ?? 0;
      healAttempts += result.healAttempts ?? 0;
      if (result.healRounds) {
        const rounds = healRounds;
        writes.push(() => db.run.updateMany({ where: { id: run.id, ...mine }, data: { healRounds: rounds } }));
      }
      if (result.status === "PASSED") completed++;
      else {
        failure = { kind: result.failure ?? "APP", message: `Step ${idx + 1} (${JSON.stringify(bound.text)}) failed: ${result.error}`, stepIdx: idx };
        blocked = await detectChallenge(tabs.page);
        if (blocked) failure.message = `Blocked by a CAPTCHA or bot challenge (${blocked}); ${failure.message}`;
      }
      if (Date.now() - lastBeat >= STEP_HEARTBEAT_MS) {
        lastBeat = Date.now();
        const done = completed;
        writes.push(async () => {
          if (!(await heartbeat(db, run.id, owner, done))) owned = false;
        });
      }
    }

    await answerChallenge();
    const spec = generateSpec({ testName: run.testName, startUrl: run.url, steps: codegenSteps });
    writes.push(() => writeArtifact(db, { runId: run.id, stepIdx: null, type: "TEST_FILE", name: "test.spec.ts", bytes: Buffer.from(spec), mime: "text/typescript", replace: false }));
    // The browser is done unless a challenge page's evidence is still to be kept; closing it overlaps the writes
    // and the run's settle (nothing below needs the page).
    // The trace is cut before the browser goes (a challenge page's trace after its evidence is kept: below).
    const traceDone = (ctx: BrowserContext) =>
      tracing
        ? stopTrace(db, ctx, run.id, keepTrace(run.traceMode, { failed: !!failure, healed: healedSteps > 0 })).catch((err: unknown) => log.warn({ err }, "could not store the trace"))
        : Promise.resolve();
    const open = context;
    const closing = blocked ? undefined : traceDone(open).then(() => open.close()).catch(() => undefined);
    await writes.flush();
    if (!owned) {
      await closing;
      return lost();
    }

    const failedAssertion = failure?.kind === "ASSERTION" && failure.stepIdx !== undefined ? failure.stepIdx : null;
    // Heal events exist only where a step made heal attempts: a passed run whose steps reported none has nothing
    // to settle. (A failed run is always looked at: a step given up on mid-heal reports no attempts.)
    const healsSettled = healAttempts > 0 || failure
      ? settleHealEvents(db, run, !failure, failedAssertion).catch((err: unknown) => log.warn({ err }, "could not settle heal events"))
      : undefined;
    if (blocked) {
      await keepBlockedEvidence(db, tabs.page, run.id, failure?.stepIdx ?? null);
      await traceDone(context);
      await finish("BLOCKED", "BLOCKED", failure?.message);
    } else if (failure) await finish("FAILED", verdictFor(failure.kind), failure.message);
    else await finish("PASSED", healedSteps > 0 ? "SELECTOR_DRIFT_HEALED" : "CLEAN");
    await Promise.all([healsSettled, closing]);
    return outcome!;
  } catch (err) {
    await writes.drain(); // nothing queued may land after the run is handed back or settled
    if (!owned && !signal?.aborted) return lost();
    if (err instanceof WorkerStopped || signal?.aborted) {
      const requeued = await requeueRun(db, run.id, owner, "Worker stopped during the run").catch(() => false);
      log.info({ requeued }, "worker stopped mid-run; run handed back");
      outcome = "REQUEUED";
      return outcome;
    }
    log.error({ err }, "run crashed");
    await finish("ERROR", null, `Worker error: ${shortError(err)}`).catch((e: unknown) => log.error({ err: e }, "could not settle run"));
    return outcome ?? "ERROR";
  } finally {
    clearTimeout(limitTimer);
    signal?.removeEventListener("abort", onAbort);
    opts.lost?.removeEventListener("abort", onLost);
    await writes.drain();
    if (!outcome) {
      await finishRun(db, run.id, owner, { status: "ERROR", verdict: null, errorMessage: "Run ended unexpectedly" }).catch(() => false);
    }
    // Steps that never got to run are SKIPPED; a step caught mid-flight by a crash is FAILED. A requeued run's
    // steps are reset by the next attempt; a passed run wrote every step's final row before it settled. A lost
    // run's steps are only touched once the run is final (requeued and claimed again, they belong to that attempt).
    if (outcome !== "REQUEUED" && outcome !== "PASSED") {
      const settled = { runId: run.id, run: { status: { notIn: ["PENDING", "RUNNING"] as ("PENDING" | "RUNNING")[] } } };
      await db.runStep
        .updateMany({ where: { ...settled, status: "RUNNING" }, data: { status: "FAILED", finishedAt: new Date(), errorMessage: "Run stopped" } })
        .catch(() => undefined);
      await db.runStep.updateMany({ where: { ...settled, status: "PENDING" }, data: { status: "SKIPPED" } }).catch(() => undefined);
    }
    // (A context the caller opened ahead is ours even when the run ended before using it.)
    const unused = context ? undefined : await opts.context?.catch(() => undefined);
    await (context ?? unused)?.close().catch(() => undefined);
  }
}
