// `pacts trigger --test <id|name> [--wait] [--timeout S]`: queues a run on a PACTS server through the REST API
// (PACTS_URL + PACTS_TOKEN) — one CI step. With --wait it polls the run every second, prints each status
// change and each finished step, and exits 0 only on PASSED. Exit codes: 0 passed (or queued without --wait),
// 1 failed / error / blocked / cancelled / timeout / server unreachable, 2 usage error or HTTP 4xx.
import { parseArgs } from "node:util";
import { z } from "zod";
import { FINISHED_STATUSES, RUN_STATUSES } from "@/domain/run";
import type { CliIo } from "./run";

export type TriggerCommandIo = Pick<CliIo, "stdout" | "stderr" | "env"> & Partial<Pick<CliIo, "signal">>;
export type TriggerOptions = { pollIntervalMs?: number; fetch?: typeof fetch };

const EXIT = { PASSED: 0, FAILED: 1, USAGE: 2 } as const;
export const DEFAULT_TIMEOUT_S = 900;
/** Consecutive failed polls (network, 5xx) tolerated before giving up: a server restart should not fail CI. */
const MAX_POLL_FAILURES = 10;
/** A cuid (Prisma's default id): such a value is tried as a test id first, then as a name. */
const LOOKS_LIKE_ID = /^c[a-z0-9]{20,32}$/;

export const TRIGGER_USAGE = `Usage:
  pacts trigger --test <id|name> [--wait] [--timeout S]
      Queue a run of a test on the server at PACTS_URL, authenticated by PACTS_TOKEN (a team API token:
      pacts token create --team T). --wait follows the run until it ends (default timeout ${DEFAULT_TIMEOUT_S} s).
      Exit codes: 0 passed, 1 failed/error/blocked/cancelled/timeout, 2 usage or HTTP 4xx.
`;

const ZQueued = z.object({ id: z.string().min(1), status: z.enum(RUN_STATUSES), url: z.string(), api: z.string() });
const ZApiRun = z.object({
  id: z.string(),
  status: z.enum(RUN_STATUSES),
  verdict: z.string().nullable(),
  testName: z.string(),
  url: z.string(),
  durationMs: z.number().nullable(),
  error: z.string().nullable(),
  steps: z.array(
    z.object({
      idx: z.number().int(),
      text: z.string(),
      status: z.enum(["PENDING", "RUNNING", "PASSED", "FAILED", "SKIPPED"]),
      strategy: z.string().nullable(),
      durationMs: z.number().nullable(),
      error: z.string().nullable(),
    }),
  ),
});
type ApiRun = z.infer<typeof ZApiRun>;

const write = (out: NodeJS.WritableStream, text: string) =>
  new Promise<void>((resolve) => {
    out.write(text, () => resolve());
  });

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });

type HttpResult = { kind: "ok"; status: number; body: unknown } | { kind: "network"; message: string };

async function requestJson(
  doFetch: typeof fetch,
  url: string,
  init: { method: "GET" | "POST"; token: string; body?: unknown; signal?: AbortSignal },
): Promise<HttpResult> {
  try {
    const res = await doFetch(url, {
      method: init.method,
      headers: {
        Authorization: `Bearer ${init.token}`,
        Accept: "application/json",
        ...(init.body !== undefined ? { "Content-Type": "application/json" } : {}),
      },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      redirect: "manual",
      signal: init.signal ?? AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? (JSON.parse(text) as unknown) : null;
    } catch {
      // Not JSON (a proxy error page): keep the text for the message.
    }
    return { kind: "ok", status: res.status, body };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return { kind: "network", message: `${(err as Error).message}${cause ? ` (${cause})` : ""}` };
  }
}

function errorText(status: number, body: unknown): string {
  const e = (body as { error?: { code?: string; message?: string } } | null)?.error;
  if (e?.message) return `HTTP ${status} ${e.code ?? ""}: ${e.message}`.replace("  ", " ");
  return `HTTP ${status}${typeof body === "string" && body ? `: ${body.slice(0, 200)}` : ""}`;
}

const MARK: Record<ApiRun["steps"][number]["status"], string> = { PASSED: "✓", FAILED: "✗", SKIPPED: "-", PENDING: "·", RUNNING: "…" };

function formatStep(s: ApiRun["steps"][number]): string {
  const extra = [s.strategy ?? "", s.durationMs === null ? "" : `${s.durationMs} ms`].filter(Boolean).join("  ");
  const line = `  ${MARK[s.status]} ${s.idx + 1}. ${s.text}${extra ? `  (${extra})` : ""}`;
  return s.error && s.status === "FAILED" ? `${line}\n      ${s.error}` : line;
}

export async function triggerCommand(argv: string[], io: TriggerCommandIo, opts: TriggerOptions = {}): Promise<number> {
  const usage = async (message: string) => {
    await write(io.stderr, `pacts trigger: ${message}\n\n${TRIGGER_USAGE}`);
    return EXIT.USAGE;
  };
  let values: { test?: string; wait: boolean; timeout?: string; help: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        test: { type: "string" },
        wait: { type: "boolean", default: false },
        timeout: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (err) {
    return usage((err as Error).message);
  }
  if (values.help) {
    await write(io.stdout, TRIGGER_USAGE);
    return 0;
  }
  const testRef = values.test?.trim();
  if (!testRef) return usage("--test <id|name> is required");
  const timeoutS = values.timeout === undefined ? DEFAULT_TIMEOUT_S : Number(values.timeout);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0) return usage(`--timeout must be a positive number of seconds, got "${values.timeout}"`);
  if (values.timeout !== undefined && !values.wait) return usage("--timeout only applies with --wait");

  const baseUrl = io.env.PACTS_URL?.trim();
  const token = io.env.PACTS_TOKEN?.trim();
  if (!baseUrl) return usage("PACTS_URL is not set (the PACTS server, e.g. https://pacts.example.com)");
  if (!token) return usage("PACTS_TOKEN is not set (create one with: pacts token create --team <team>)");
  let apiBase: string;
  try {
    const u = new URL(baseUrl);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error("not http(s)");
    apiBase = u.toString().replace(/\/+$/, "");
  } catch {
    return usage(`PACTS_URL must be an absolute http(s) URL, got "${baseUrl}"`);
  }

  const doFetch = opts.fetch ?? fetch;
  const out = (line: string) => write(io.stdout, `${line}\n`);
  const fail = async (message: string, code: number) => {
    await write(io.stderr, `pacts trigger: ${message}\n`);
    return code;
  };

  // Queue. A cuid-looking value is tried as an id first; a 404 then falls back to the name.
  const bodies: unknown[] = LOOKS_LIKE_ID.test(testRef) ? [{ testId: testRef }, { testName: testRef }] : [{ testName: testRef }];
  let queued: z.infer<typeof ZQueued> | undefined;
  for (const [i, body] of bodies.entries()) {
    const res = await requestJson(doFetch, `${apiBase}/api/v1/runs`, { method: "POST", token, body });
    if (res.kind === "network") return fail(`cannot reach ${apiBase}: ${res.message}`, EXIT.FAILED);
    if (res.status === 404 && i < bodies.length - 1) continue;
    if (res.status >= 400 && res.status < 500) return fail(errorText(res.status, res.body), EXIT.USAGE);
    if (res.status !== 201) return fail(`unexpected answer to POST /api/v1/runs: ${errorText(res.status, res.body)}`, EXIT.FAILED);
    const parsed = ZQueued.safeParse(res.body);
    if (!parsed.success) return fail(`unexpected answer to POST /api/v1/runs: ${JSON.stringify(res.body).slice(0, 300)}`, EXIT.FAILED);
    queued = parsed.data;
    break;
  }
  if (!queued) return fail(`test "${testRef}" not found`, EXIT.USAGE);
  await out(`Queued run ${queued.id}  ${queued.url}`);
  if (!values.wait) return EXIT.PASSED;

  // Follow the run until it finishes or the timeout passes.
  const deadline = Date.now() + timeoutS * 1000;
  const pollMs = opts.pollIntervalMs ?? 1000;
  let lastStatus: string = queued.status;
  await out(`status: ${lastStatus}`);
  const printedSteps = new Set<number>();
  let failures = 0;
  for (;;) {
    if (io.signal?.aborted) return fail("interrupted", EXIT.FAILED);
    const res = await requestJson(doFetch, queued.api, { method: "GET", token });
    if (res.kind === "network" || res.status >= 500) {
      failures++;
      const why = res.kind === "network" ? res.message : errorText(res.status, res.body);
      if (failures >= MAX_POLL_FAILURES) return fail(`giving up after ${failures} failed polls: ${why}`, EXIT.FAILED);
    } else if (res.status >= 400) {
      return fail(errorText(res.status, res.body), EXIT.USAGE);
    } else {
      failures = 0;
      const parsed = ZApiRun.safeParse(res.body);
      if (!parsed.success) {
        return fail(`unexpected answer to GET ${queued.api}: ${z.prettifyError(parsed.error)}`, EXIT.FAILED);
      }
      const run = parsed.data;
      const isFinished = FINISHED_STATUSES.has(run.status);
      const statusChanged = run.status !== lastStatus;
      lastStatus = run.status;
      // "RUNNING" comes before the steps it ran; the final status after the last steps.
      if (statusChanged && !isFinished) await out(`status: ${run.status}`);
      for (const s of run.steps) {
        if (printedSteps.has(s.idx) || !["PASSED", "FAILED", "SKIPPED"].includes(s.status)) continue;
        printedSteps.add(s.idx);
        await out(formatStep(s));
      }
      if (statusChanged && isFinished) await out(`status: ${run.status}`);
      if (isFinished) {
        const secs = run.durationMs === null ? "" : `  ${(run.durationMs / 1000).toFixed(2)} s`;
        await out(`${run.status}${run.verdict ? ` (${run.verdict})` : ""}${secs}  ${run.testName}  ${run.url}`);
        if (run.error && run.status !== "PASSED") await out(`  ${run.error}`);
        return run.status === "PASSED" ? EXIT.PASSED : EXIT.FAILED;
      }
    }
    if (Date.now() + pollMs > deadline) {
      return fail(`timed out after ${timeoutS} s; run ${queued.id} is still ${lastStatus} (${queued.url})`, EXIT.FAILED);
    }
    await sleep(pollMs, io.signal);
  }
}
