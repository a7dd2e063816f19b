// Prometheus scrape endpoint. Open when METRICS_TOKEN is unset; otherwise `Authorization: Bearer <token>`.
// All logic lives in src/server/metrics/http.ts (tested without a Next server).
import { getDb } from "@/server/db";
import { serverEnv } from "@/server/env";
import { handlePrometheusRequest } from "@/server/metrics/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(req: Request): Promise<Response> {
  return handlePrometheusRequest(req, { db: getDb(), metricsToken: serverEnv().METRICS_TOKEN });
}
