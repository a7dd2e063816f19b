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
import { serverEnv } from "../env";
import { generateSpec, type CodegenStep } from "../heal/codegen";
import { executeStep, type FailureKind, gotoUrl, shortError, StepFailure, type StepContext } from "../heal/executor";
import { bindVariables, createBuiltins } from "@/server/heal/step-parser";
import { logger } from "../logger";
import type { ClaimedRun } from "../queue/claim";
import { finishRun, heartbeat, requeueRun } from "../queue/settle";
import { deleteRunArtifacts, writeArtifact } from "../storage/artifact-store";

export const DEMO_VERSION_COOKIE = "pacts_demo_version";

export type ExecuteRunOptions = { workerId: string; browser: Browser; log?: Logger; signal?: AbortSignal };
export type ExecuteRunOutcome = "PASSED" | "FAILED" | "ERROR" | "REQUEUED" | "LOST";

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

async function openContext(db: PrismaClient, browser: Browser, run: ClaimedRun): Promise<BrowserContext> {
  const context = await newRunContext(browser);
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

  const finish = async (status: "PASSED" | "FAILED" | "ERROR", verdict: RunVerdict | null, errorMessage?: string) => {
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
    context = await openContext(db, opts.browser, run);
    if (signal?.aborted) throw new WorkerStopped();
    const page = await context.newPage();
    const ctx: StepContext = {
      startUrl: startUrl.toString(),
      stepTimeoutMs: env.STEP_TIMEOUT_MS,
      navigationTimeoutMs: env.NAVIGATION_TIMEOUT_MS,
    };

    const builtins = createBuiltins();
    const codegenSteps: CodegenStep[] = steps.map((step) => ({ step: bindVariables(step, dataRow, builtins) }));
    let failure: { kind: FailureKind; message: string } | undefined;

    try {
      await gotoUrl(page, run.url, env.NAVIGATION_TIMEOUT_MS);
    } catch (err) {
      if (signal?.aborted) throw new WorkerStopped();
      if (!(err instanceof StepFailure)) throw err;
      failure = { kind: err.kind, message: err.message };
    }

    for (let idx = 0; idx < steps.length && !failure; idx++) {
      if (signal?.aborted) throw new WorkerStopped();
      const bound = codegenSteps[idx]!.step;
      const where = { runId_stepIdx: { runId: run.id, stepIdx: idx } };
      await db.runStep.update({ where, data: { status: "RUNNING", startedAt: new Date(), value: bound.value ?? null } });
      const result = await executeStep(page, bound, ctx);
      if (signal?.aborted) throw new WorkerStopped();
      await screenshot(db, page, run.id, idx, log);
      await db.runStep.update({
        where,
        data: {
          status: result.status,
          strategy: result.strategy ?? null,
          selector: result.selector ?? null,
          confidence: result.confidence ?? null,
          cacheSource: bound.target ? "miss" : null,
          durationMs: result.durationMs,
          errorMessage: result.error ?? null,
          finishedAt: new Date(),
        },
      });
      codegenSteps[idx]!.locatorCode = result.locatorCode;
      log.debug({ stepIdx: idx, status: result.status, strategy: result.strategy, ms: result.durationMs, tried: result.tried }, "step done");
      if (result.status === "PASSED") completed++;
      else failure = { kind: result.failure ?? "APP", message: `Step ${idx + 1} (${JSON.stringify(bound.text)}) failed: ${result.error}` };
      if (!(await heartbeat(db, run.id, workerId, completed))) {
        log.warn("run no longer owned by this worker (cancelled or released); stopping");
        outcome = "LOST";
        return outcome;
      }
    }

    const spec = generateSpec({ testName: run.testName, startUrl: run.url, steps: codegenSteps });
    await writeArtifact(db, { runId: run.id, stepIdx: null, type: "TEST_FILE", name: "test.spec.ts", bytes: Buffer.from(spec), mime: "text/typescript" });

    if (failure) await finish("FAILED", verdictFor(failure.kind), failure.message);
    else await finish("PASSED", "CLEAN");
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
