// Framework-free request handling for /api/metrics (Prometheus text) and /api/metrics/{cache,heal,runs,summary}
// (the original's JSON). The Next route handlers only add the session lookup; tests call these with a plain
// Request. Nothing here ever redirects: a missing or wrong credential is a 401 JSON with WWW-Authenticate.
import { createHash, timingSafeEqual } from "node:crypto";
import type { PrismaClient } from "@/generated/prisma/client";
import { logger } from "@/server/logger";
import { resolveCurrentTeam } from "@/server/teams/current-team";
import { parseBearer, verifyApiToken } from "@/server/tokens/api-token";
import { CONTENT_TYPE, metricsJsonCache, renderMetricsCached } from "./prometheus";
import { hourBucket } from "./definitions";
import { ZMetricsQuery } from "./since";
import { getMetricsJson, type MetricsKind, type MetricsScope } from "./summary";

export const METRICS_KINDS = ["cache", "heal", "runs", "summary"] as const satisfies readonly MetricsKind[];

/** Same cookie the tRPC context reads (src/server/api/trpc.ts TEAM_COOKIE); duplicated so no tRPC is imported. */

const JSON_HEADERS = { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" };

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

function error(status: number, code: string, message: string, extra: { issues?: unknown; headers?: Record<string, string> } = {}): Response {
  return json({ error: { code, message, ...(extra.issues ? { issues: extra.issues } : {}) } }, status, extra.headers);
}

function unauthorized(hasCredentials: boolean, message: string): Response {
  // RFC 6750: error="invalid_token" only when credentials were sent.
  const challenge = hasCredentials ? 'Bearer realm="pacts", error="invalid_token"' : 'Bearer realm="pacts"';
  return error(401, "UNAUTHORIZED", message, { headers: { "WWW-Authenticate": challenge } });
}

/**
 * Constant-time token check: both sides are hashed to 32 bytes first, so neither the content nor the length
 * of the expected token leaks through timing.
 */
export function tokenMatches(presented: string, expected: string): boolean {
  const a = createHash("sha256").update(presented, "utf8").digest();
  const b = createHash("sha256").update(expected, "utf8").digest();
  return timingSafeEqual(a, b);
}

export type PrometheusDeps = { db: Pick<PrismaClient, "$queryRaw">; metricsToken: string | undefined };

/** GET /api/metrics: open when METRICS_TOKEN is unset, else `Authorization: Bearer <METRICS_TOKEN>`. */
export async function handlePrometheusRequest(req: Request, deps: PrometheusDeps): Promise<Response> {
  if (deps.metricsToken) {
    const header = req.headers.get("authorization");
    const bearer = parseBearer(header);
    if (!bearer || !tokenMatches(bearer, deps.metricsToken)) {
      return unauthorized(header !== null, "Send the metrics token as 'Authorization: Bearer <METRICS_TOKEN>'");
    }
  }
  try {
    const text = await renderMetricsCached(deps.db);
    return new Response(text, { status: 200, headers: { "Content-Type": CONTENT_TYPE, "Cache-Control": "no-store" } });
  } catch (err) {
    logger.error({ err }, "metrics scrape failed");
    return error(500, "INTERNAL", "Could not collect metrics");
  }
}

/** The signed-in user's current team id (the same choice the dashboard's tRPC procedures make). */
export async function resolveSessionTeamId(db: Pick<PrismaClient, "membership">, userId: string, headers: Headers): Promise<string | null> {
  return (await resolveCurrentTeam(db, userId, headers))?.id ?? null;
}

export type MetricsJsonDeps = {
  db: PrismaClient;
  metricsToken: string | undefined;
  /** The signed-in user's current team id (null: not signed in / no team). Only asked when no bearer was sent. */
  sessionTeamId?: () => Promise<string | null>;
};

/**
 * Who may see which numbers: METRICS_TOKEN bearer -> every team; a team API token -> that team; otherwise the
 * session's current team. Returns a Response for a refusal.
 */
export async function resolveMetricsScope(req: Request, deps: MetricsJsonDeps): Promise<{ teamId: string | null } | Response> {
  const header = req.headers.get("authorization");
  if (header !== null) {
    const bearer = parseBearer(header);
    if (bearer && deps.metricsToken && tokenMatches(bearer, deps.metricsToken)) return { teamId: null };
    const token = await verifyApiToken(deps.db, header);
    if (token) return { teamId: token.teamId };
    return unauthorized(true, "The bearer token is neither a valid team API token nor the metrics token");
  }
  const teamId = (await deps.sessionTeamId?.()) ?? null;
  if (teamId) return { teamId };
  return unauthorized(false, "Sign in, or send a team API token or the metrics token as 'Authorization: Bearer <token>'");
}

/** GET /api/metrics/{cache,heal,runs,summary}[?since=24h|7d|ISO]. */
export async function handleMetricsJsonRequest(req: Request, kind: string, deps: MetricsJsonDeps): Promise<Response> {
  if (!(METRICS_KINDS as readonly string[]).includes(kind)) {
    return error(404, "NOT_FOUND", `Unknown metrics "${kind.slice(0, 40)}"; use one of ${METRICS_KINDS.join(", ")}`);
  }
  try {
    const scope = await resolveMetricsScope(req, deps);
    if (scope instanceof Response) return scope;
    const url = new URL(req.url);
    const parsed = ZMetricsQuery.safeParse({ since: url.searchParams.get("since") ?? undefined });
    if (!parsed.success) {
      return error(400, "BAD_REQUEST", parsed.error.issues[0]?.message ?? "Invalid query", {
        issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
      });
    }
    const full: MetricsScope = { teamId: scope.teamId, since: parsed.data.since };
    // The rollups have hour granularity, so every `since` inside one hour reads the same rows: key on the hour.
    const key = `${kind}|${full.teamId ?? "*"}|${full.since ? hourBucket(full.since).toISOString() : "all"}`;
    return json(await metricsJsonCache().get(key, () => getMetricsJson(deps.db, kind as MetricsKind, full)));
  } catch (err) {
    logger.error({ err, kind }, "metrics JSON failed");
    return error(500, "INTERNAL", "Could not collect metrics");
  }
}
