// Playwright tracing per run: started when the run's browser context opens, stopped before it closes, and kept as
// the run's TRACE artifact (trace.zip) for every run, or, with the test's FAILED_OR_HEALED mode, only for runs that
// failed or healed a step. The dashboard opens it in Playwright's own trace viewer (src/server/trace/viewer.ts).
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { BrowserContext } from "playwright-core";
import type { PrismaClient } from "@/generated/prisma/client";
import type { TraceMode } from "@/generated/prisma/enums";
import { writeArtifact } from "../storage/artifact-store";

export const TRACE_FILE = "trace.zip";

/** Starts tracing; false when it could not start (the run goes on without a trace). */
export async function startTrace(context: BrowserContext, title: string): Promise<boolean> {
  return context.tracing.start({ screenshots: true, snapshots: true, sources: true, title }).then(
    () => true,
    () => false,
  );
}

export const keepTrace = (mode: TraceMode | undefined, outcome: { failed: boolean; healed: boolean }) =>
  (mode ?? "ALWAYS") === "ALWAYS" || outcome.failed || outcome.healed;

/** Stops tracing; when `keep`, stores the zip as the run's TRACE artifact. Must run before the context closes. */
export async function stopTrace(db: PrismaClient, context: BrowserContext, runId: string, keep: boolean): Promise<void> {
  if (!keep) {
    await context.tracing.stop();
    return;
  }
  const dir = await mkdtemp(path.join(tmpdir(), "pacts-trace-"));
  try {
    const file = path.join(dir, TRACE_FILE);
    await context.tracing.stop({ path: file });
    const bytes = await readFile(file);
    await writeArtifact(db, { runId, stepIdx: null, type: "TRACE", name: TRACE_FILE, bytes, mime: "application/zip" });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
