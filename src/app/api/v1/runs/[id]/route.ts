// GET /api/v1/runs/:id: a run of the token's team with status, verdict, steps and links. Another team's
// run answers the same 404 as an unknown id.
import { getDb } from "@/server/db";
import { jsonResponse, notFound } from "@/server/tokens/http";
import { getApiRun } from "@/server/tokens/run-api";
import { apiOrigin, authenticate, errorResponse } from "../../_lib/request";

export const dynamic = "force-dynamic";

export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const caller = await authenticate(req, "api/v1/runs/[id]/route.ts");
  if (caller instanceof Response) return caller;
  const { id } = await ctx.params;
  if (id.length > 100) return notFound("Run");
  try {
    const run = await getApiRun(getDb(), { teamId: caller.teamId, runId: id, origin: apiOrigin(req) });
    return run ? jsonResponse(run) : notFound("Run");
  } catch (err) {
    return errorResponse(err, { route: "GET /api/v1/runs/:id", teamId: caller.teamId, runId: id });
  }
}
