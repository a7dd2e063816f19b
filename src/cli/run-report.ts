// The `pacts run --json` contract: ONE line on stdout, this shape. `version` changes only on a breaking change
// (a field removed or its meaning changed); new optional fields keep version 1.
import { z } from "zod";
import { CACHE_SOURCES, RUN_STATUSES } from "@/domain/run";

export const RUN_REPORT_VERSION = 1 as const;

export const ZStepReport = z.object({
  /** Index of the run (data row) this step belongs to, 0-based; always 0 without data rows. */
  run: z.number().int().min(0),
  idx: z.number().int().min(0),
  text: z.string(),
  status: z.enum(["PENDING", "RUNNING", "PASSED", "FAILED", "SKIPPED"]),
  strategy: z.string().nullable(),
  selector: z.string().nullable(),
  /** Where the selector came from; null for steps without an element (navigation, waits, page assertions). */
  cacheSource: z.enum(CACHE_SOURCES).nullable(),
  healed: z.boolean(),
  /** Whether the heal was verified; null when the step did not heal. */
  verified: z.boolean().nullable(),
  durationMs: z.number().int().nullable(),
  error: z.string().optional(),
  /** What the step did beyond its action (an overlay dismissed first, a generated upload file…). */
  note: z.string().optional(),
});
export type StepReport = z.infer<typeof ZStepReport>;

export const ZRunSummary = z.object({
  id: z.string(),
  status: z.enum(RUN_STATUSES),
  verdict: z.string().nullable(),
  dataRow: z.record(z.string(), z.string()),
  durationMs: z.number().int().nullable(),
  completedSteps: z.number().int(),
  totalSteps: z.number().int(),
  error: z.string().optional(),
  /** True when a worker claimed the run before this process could (the CLI then followed it to the end). */
});
export type RunSummary = z.infer<typeof ZRunSummary>;

export const ZRunReport = z.object({
  version: z.literal(RUN_REPORT_VERSION),
  status: z.enum(RUN_STATUSES),
  /** Wall time of the whole command's run phase (all data rows), ms. */
  durationMs: z.number().int().min(0),
  test: z.object({ name: z.string(), url: z.string() }).optional(),
  /** One entry per data row (one run when the file has no data). */
  runs: z.array(ZRunSummary).optional(),
  steps: z.array(ZStepReport),
  /** Set when the command failed before or around the runs (database unreachable, browser did not start…). */
  error: z.string().optional(),
});
export type RunReport = z.infer<typeof ZRunReport>;

const SEVERITY: Record<string, number> = { PASSED: 0, PENDING: 1, RUNNING: 1, CANCELLED: 2, FAILED: 3, BLOCKED: 4, ERROR: 5 };

/** The command's status: PASSED only when every run passed, else the most severe run status. */
export function overallStatus(statuses: readonly RunSummary["status"][]): RunReport["status"] {
  if (statuses.length === 0) return "ERROR";
  return statuses.reduce((worst, s) => ((SEVERITY[s] ?? 5) > (SEVERITY[worst] ?? 5) ? s : worst), "PASSED" as RunReport["status"]);
}

export function exitCodeFor(status: RunReport["status"]): 0 | 1 {
  return status === "PASSED" ? 0 : 1;
}
