// Shared server environment for web, worker and CLI. process.env is read here (and in src/env.ts for
// web-only settings) and nowhere else. Parsed lazily so importing a module never throws on its own.
import path from "node:path";
import { z } from "zod";
import { parseUrlRules, type UrlPolicy } from "./runs/url-policy";

const emptyAsUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());
/** A list of URL policy rules (runs/url-policy.ts), checked at start-up so a typo never silently allows a host. */
const urlRules = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .optional()
    .superRefine((v, ctx) => {
      try {
        parseUrlRules(v);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: (err as Error).message });
      }
    }),
);
const intWithDefault = (def: number) => z.preprocess(emptyAsUndefined, z.coerce.number().int().positive().default(def));

const ZServerEnv = z.object({
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z.string({ error: "DATABASE_URL is not set (scripts/start.ts sets it for the embedded Postgres)" }).url(),
  ),
  REDIS_URL: z.preprocess(emptyAsUndefined, z.string().url().optional()),
  /** Project-local state: embedded cluster state file, secrets, artifacts. */
  PACTS_DATA_DIR: optionalString,
  ARTIFACTS_DIR: optionalString,
  CHROMIUM_PATH: z.preprocess(emptyAsUndefined, z.string().default("/usr/bin/chromium")),
  /** Extra Chromium args: a JSON array of strings, or whitespace-separated. */
  CHROMIUM_ARGS: optionalString,
  LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info")),
  WORKER_POLL_MS: intWithDefault(2000),
  /** Runs a worker process executes at once, each in its own browser context of the process's one Chromium. */
  WORKER_CONCURRENCY: intWithDefault(1),
  /** Queued (PENDING) runs a team may have at once; queueing more is refused (429 from the REST API). */
  MAX_QUEUED_RUNS_PER_TEAM: intWithDefault(500),
  /** How often a worker writes its heartbeat (its Worker row and each run it executes) and sweeps stale runs. */
  WORKER_HEARTBEAT_MS: intWithDefault(3000),
  /** A RUNNING run without a heartbeat for this long is swept (requeued, or ERROR "worker lost"); default 5 beats. */
  WORKER_STALE_AFTER_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().positive().optional()),
  /** Per-action timeout for element steps. */
  STEP_TIMEOUT_MS: intWithDefault(5000),
  NAVIGATION_TIMEOUT_MS: intWithDefault(15000),
  /** A folder every run (dashboard and worker too) may read the files its Upload steps name from; unset, only
   * `pacts run` reads them, from the test file's folder, and other runs upload generated files. */
  PACTS_UPLOAD_DIR: optionalString,
  /** When set, GET /api/metrics needs `Authorization: Bearer <METRICS_TOKEN>` (and it grants global JSON metrics). */
  METRICS_TOKEN: optionalString,
  /** Hosts, host patterns (*.staging.example) and CIDRs runs may open even where the URL policy refuses them by
   * default or by PACTS_URL_DENY (e.g. 169.254.10.0/24 for a lab device). Comma- or space-separated. */
  PACTS_URL_ALLOW: urlRules,
  /** Hosts, patterns and CIDRs (or `private`, `loopback`) runs must never open, e.g. a shared deployment's
   * `private` to keep teams off its internal network. */
  PACTS_URL_DENY: urlRules,
  /** How often a worker runs the retention job (src/server/retention/retention.ts); default 10 minutes, 0 = off. */
  RETENTION_TICK_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().nonnegative().default(600_000)),
  /** S3-compatible artifact store (src/server/storage/s3-store.ts): set the bucket to use it instead of ARTIFACTS_DIR. */
  ARTIFACTS_S3_BUCKET: optionalString,
  /** e.g. http://minio:9000; unset = AWS S3 for the region. */
  ARTIFACTS_S3_ENDPOINT: z.preprocess(emptyAsUndefined, z.string().url().optional()),
  ARTIFACTS_S3_REGION: z.preprocess(emptyAsUndefined, z.string().default("us-east-1")),
  /** Both or neither; neither = the AWS SDK's default credential chain (AWS_ACCESS_KEY_ID, profile, role). */
  ARTIFACTS_S3_ACCESS_KEY_ID: optionalString,
  ARTIFACTS_S3_SECRET_ACCESS_KEY: optionalString,
  /** Path-style URLs (http://host/bucket/key), as MinIO and most self-hosted servers need. */
  ARTIFACTS_S3_FORCE_PATH_STYLE: z.preprocess(
    emptyAsUndefined,
    z.enum(["1", "0", "true", "false"]).default("false").transform((v) => v === "1" || v === "true"),
  ),
  /** Key prefix inside the bucket, e.g. "pacts/". */
  ARTIFACTS_S3_PREFIX: z.preprocess(emptyAsUndefined, z.string().regex(/^([A-Za-z0-9._-]+\/)*$/, "a path ending in / (e.g. pacts/)").default("")),
  /** The address users open the dashboard at, for links in alerts (default NEXTAUTH_URL, then http://localhost:3000). */
  PACTS_PUBLIC_URL: z.preprocess(emptyAsUndefined, z.string().url().optional()),
  NEXTAUTH_URL: z.preprocess(emptyAsUndefined, z.string().url().optional()),
  /** E-mail alerts: an SMTP URL for nodemailer, e.g. smtp://user:pass@mail.example.com:587 (smtps:// for TLS). */
  SMTP_URL: z.preprocess(emptyAsUndefined, z.string().regex(/^smtps?:\/\/[^\s]+$/, "an smtp:// or smtps:// URL").optional()),
  /** From address of e-mail alerts. */
  ALERT_EMAIL_FROM: z.preprocess(emptyAsUndefined, z.string().default("PACTS <pacts@localhost>")),
  /** How often a worker sends due alert deliveries; 0 = off in that worker. */
  ALERT_TICK_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().nonnegative().default(2_000)),
  /** First retry delay of a failed delivery (doubles each attempt, at most 10 minutes). */
  ALERT_RETRY_BASE_MS: intWithDefault(10_000),
  ALERT_MAX_ATTEMPTS: intWithDefault(6),
  /** Rows deleted per retention statement, so one tick never holds long locks. */
  RETENTION_BATCH_SIZE: intWithDefault(500),
});
export type S3Settings = {
  bucket: string;
  region: string;
  endpoint?: string;
  forcePathStyle: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  prefix: string;
};
export type ServerEnv = z.infer<typeof ZServerEnv> & {
  dataDir: string;
  artifactsDir: string;
  chromiumArgs: string[];
  staleAfterMs: number;
  urlPolicy: UrlPolicy;
  s3: S3Settings | null;
  /** Origin (no trailing slash) for links in alerts. */
  publicUrl: string;
};

let cached: ServerEnv | undefined;

/** process.env through `schema`, or an error listing every invalid variable. */
function parseEnv<T extends z.ZodType>(schema: T): z.infer<T> {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

export function serverEnv(): ServerEnv {
  if (cached) return cached;
  const e = parseEnv(ZServerEnv);
  const staleAfterMs = e.WORKER_STALE_AFTER_MS ?? 5 * e.WORKER_HEARTBEAT_MS;
  if (staleAfterMs < 2 * e.WORKER_HEARTBEAT_MS) {
    throw new Error(`Invalid environment:\n  WORKER_STALE_AFTER_MS: must be at least twice WORKER_HEARTBEAT_MS (${e.WORKER_HEARTBEAT_MS}), got ${staleAfterMs}`);
  }
  const dataDir = path.resolve(e.PACTS_DATA_DIR ?? path.join(process.cwd(), ".data"));
  cached = {
    ...e,
    dataDir,
    artifactsDir: path.resolve(e.ARTIFACTS_DIR ?? path.join(dataDir, "artifacts")),
    chromiumArgs: parseArgs(e.CHROMIUM_ARGS),
    staleAfterMs,
    urlPolicy: { allow: parseUrlRules(e.PACTS_URL_ALLOW), deny: parseUrlRules(e.PACTS_URL_DENY) },
    s3: s3Settings(e),
    publicUrl: (e.PACTS_PUBLIC_URL ?? e.NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/+$/, ""),
  };
  return cached;
}

function s3Settings(e: z.infer<typeof ZServerEnv>): S3Settings | null {
  const problems: string[] = [];
  const hasId = e.ARTIFACTS_S3_ACCESS_KEY_ID !== undefined;
  const hasSecret = e.ARTIFACTS_S3_SECRET_ACCESS_KEY !== undefined;
  if (hasId !== hasSecret) problems.push("  ARTIFACTS_S3_ACCESS_KEY_ID / ARTIFACTS_S3_SECRET_ACCESS_KEY: set both or neither");
  if (!e.ARTIFACTS_S3_BUCKET && (e.ARTIFACTS_S3_ENDPOINT || hasId || hasSecret)) problems.push("  ARTIFACTS_S3_BUCKET: required when other ARTIFACTS_S3_* settings are set");
  if (problems.length) throw new Error(`Invalid environment:\n${problems.join("\n")}`);
  if (!e.ARTIFACTS_S3_BUCKET) return null;
  return {
    bucket: e.ARTIFACTS_S3_BUCKET,
    region: e.ARTIFACTS_S3_REGION,
    endpoint: e.ARTIFACTS_S3_ENDPOINT,
    forcePathStyle: e.ARTIFACTS_S3_FORCE_PATH_STYLE,
    credentials: hasId ? { accessKeyId: e.ARTIFACTS_S3_ACCESS_KEY_ID!, secretAccessKey: e.ARTIFACTS_S3_SECRET_ACCESS_KEY! } : undefined,
    prefix: e.ARTIFACTS_S3_PREFIX,
  };
}

const ZBrowserEnv = ZServerEnv.pick({ CHROMIUM_PATH: true, CHROMIUM_ARGS: true });
export type BrowserEnv = { CHROMIUM_PATH: string; chromiumArgs: string[] };

/**
 * The browser's settings alone (CHROMIUM_PATH, CHROMIUM_ARGS), so Chromium can be launched before the rest of
 * the environment is complete (the CLI launches it while it finds its database).
 */
export function browserEnv(): BrowserEnv {
  const e = parseEnv(ZBrowserEnv);
  return { CHROMIUM_PATH: e.CHROMIUM_PATH, chromiumArgs: parseArgs(e.CHROMIUM_ARGS) };
}

const ZUrlPolicyEnv = ZServerEnv.pick({ PACTS_URL_ALLOW: true, PACTS_URL_DENY: true });

/** The URL policy's settings alone, for the browser context of a run (opened before the rest of the environment
 * may be complete, like browserEnv). */
export function urlPolicyEnv(): UrlPolicy {
  const e = parseEnv(ZUrlPolicyEnv);
  return { allow: parseUrlRules(e.PACTS_URL_ALLOW), deny: parseUrlRules(e.PACTS_URL_DENY) };
}

export function parseArgs(raw: string | undefined): string[] {
  if (!raw) return [];
  const trimmed = raw.trim();
  if (trimmed.startsWith("[")) return z.array(z.string()).parse(JSON.parse(trimmed));
  return trimmed.split(/\s+/);
}

/** The queue's limits alone (enqueueRun runs in processes whose environment is otherwise incomplete, e.g. tests). */
export function queueEnv(): { MAX_QUEUED_RUNS_PER_TEAM: number } {
  return parseEnv(ZServerEnv.pick({ MAX_QUEUED_RUNS_PER_TEAM: true }));
}

/** For tests that change process.env between cases. */
export function resetServerEnv(): void {
  cached = undefined;
}
