// The original system's JSON metrics: /api/metrics/cache|heal|runs|summary[?since=24h|7d|ISO date].
// Scope: METRICS_TOKEN bearer -> all teams; team API token -> its team; session -> the current team.
import { getSession } from "@/server/auth";
import { getDb } from "@/server/db";
import { serverEnv } from "@/server/env";
import { handleMetricsJsonRequest, resolveSessionTeamId } from "@/server/metrics/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(req: Request, ctx: { params: Promise<{ kind: string }> }): Promise<Response> {
  const { kind } = await ctx.params;
  const db = getDb();
  return handleMetricsJsonRequest(req, kind, {
    db,
    metricsToken: serverEnv().METRICS_TOKEN,
    sessionTeamId: async () => {
      const session = await getSession();
      return session ? resolveSessionTeamId(db, session.user.id, req.headers) : null;
    },
  });
}
