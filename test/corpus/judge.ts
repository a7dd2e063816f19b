// One corpus case through the real engine (executeRun: cache, discovery, gate, healing) with ground truth
// recorded outside the DOM: shared by the judge test (engine.int.test.ts) and the corpus bench
// (bench/corpus-bench.ts), so both count the same thing.
import type { Browser } from "playwright-core";
import type { Logger } from "pino";
import type { PrismaClient } from "@/generated/prisma/client";
import type { SelectorCache } from "@/server/cache/selector-cache";
import { claimRuns } from "@/server/queue/claim";
import { enqueueRun } from "@/server/runs/enqueue";
import { executeRun } from "@/server/runs/execute-run";
import { GROUND_TRUTH_INIT_SCRIPT, checkGroundTruth, type ExecutedStep, readGroundTruthLog } from "./ground-truth";
import type { CorpusCase, CorpusServer } from "./harness";

export type JudgeContext = { db: PrismaClient; browser: Browser; server: CorpusServer; cache: SelectorCache; teamId: string; log: Logger };

/** Runs case `c` on `version` as the team's test "corpus <slug>" (created on first use, so v2 meets v1's cache). */
export async function runCorpusCase(ctx: JudgeContext, c: CorpusCase, version: 1 | 2) {
  const { db, browser, server, cache, teamId, log } = ctx;
  server.setVersion(c.slug, version);
  const name = `corpus ${c.slug}`;
  const test =
    (await db.test.findFirst({ where: { teamId, name } })) ??
    (await db.test.create({ data: { teamId, name, startUrl: server.caseUrl(c.slug), source: c.source, steps: c.steps } }));
  const { id } = await enqueueRun(db, { teamId, testId: test.id, trigger: "MANUAL" });
  const [run] = await claimRuns(db, "w-corpus", 1);
  if (run?.id !== id) throw new Error(`claimed ${run?.id ?? "nothing"} instead of the corpus run ${id}`);
  const executed: ExecutedStep[] = [];
  const started = performance.now();
  const outcome = await executeRun(db, run, {
    workerId: "w-corpus", browser, log, cache, initScripts: [GROUND_TRUTH_INIT_SCRIPT],
    onStepDone: async (idx, page) => {
      executed.push({ line: c.steps[idx]!.line, events: await readGroundTruthLog(page).catch(() => []) });
    },
  });
  const ms = performance.now() - started;
  const row = await db.run.findUniqueOrThrow({
    where: { id },
    include: { runSteps: { orderBy: { stepIdx: "asc" } }, healEvents: { orderBy: { createdAt: "asc" } } },
  });
  return { outcome, row, gt: checkGroundTruth(c.groundTruth, executed), executed, ms };
}

export type CaseResult = Awaited<ReturnType<typeof runCorpusCase>>;

/** Events on the case's look-alikes (decoys): any is a wrong action. */
export function touchedLookalikes(c: CorpusCase, r: CaseResult) {
  const lookalikes = new Set(Object.values(c.lookalike ?? {}));
  return r.executed.flatMap((s) => s.events).filter((e) => e.key !== null && lookalikes.has(e.key));
}
