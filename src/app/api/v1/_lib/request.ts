// Shared by the /api/v1 route handlers: token authentication and the public origin for links.
import { webEnv } from "@/env";
import { getDb } from "@/server/db";
import { AppError } from "@/server/errors";
import { logger } from "@/server/logger";
import { verifyApiToken } from "@/server/tokens/api-token";
import { apiError, unauthorized } from "@/server/tokens/http";
import type { Role } from "@/generated/prisma/enums";
import { allows, ROUTE_POLICY } from "@/server/teams/policy";

export type ApiCaller = { teamId: string; tokenId: string; role: Role };

/** The caller's team from the bearer token, or the 401 response to send; a token whose role is below what the
 * route needs (ROUTE_POLICY in src/server/teams/policy.ts) gets 403. */
export async function authenticate(req: Request, route: keyof typeof ROUTE_POLICY): Promise<ApiCaller | Response> {
  const header = req.headers.get("authorization");
  const caller = await verifyApiToken(getDb(), header);
  if (!caller) return unauthorized(Boolean(header));
  const least = ROUTE_POLICY[route];
  if (least !== "PUBLIC" && least !== "DELEGATES" && !allows(caller.role, least)) {
    return apiError(403, "FORBIDDEN", `This token's role (${caller.role.toLowerCase()}) cannot do this; it needs ${least.toLowerCase()} or above`);
  }
  return caller;
}

/** NEXTAUTH_URL when set (the public URL behind a proxy), else the origin the request came to. */
export function apiOrigin(req: Request): string {
  const configured = webEnv().nextAuthUrl;
  return (configured ? new URL(configured).origin : new URL(req.url).origin).replace(/\/$/, "");
}

/** Maps errors thrown by server modules to the API's JSON errors; anything else is a logged 500. */
export function errorResponse(err: unknown, context: Record<string, unknown>): Response {
  if (err instanceof AppError) {
    switch (err.code) {
      case "NOT_FOUND":
        return apiError(404, "NOT_FOUND", err.message);
      case "BAD_REQUEST":
      case "CONFLICT":
        return apiError(400, "BAD_REQUEST", err.message);
      case "TOO_MANY_REQUESTS":
        // The team's queue is full (src/server/runs/enqueue.ts): retry once some of its runs have started.
        return apiError(429, "TOO_MANY_REQUESTS", err.message, { headers: { "Retry-After": "30" } });
      case "UNAUTHORIZED":
      case "FORBIDDEN":
        return apiError(401, "UNAUTHORIZED", err.message, { headers: { "WWW-Authenticate": 'Bearer realm="pacts"' } });
      case "INTERNAL":
        break;
      default:
        err.code satisfies never;
    }
  }
  logger.error({ err, ...context }, "api v1 request failed");
  return apiError(500, "INTERNAL", "Something went wrong on our side. Please try again.");
}
