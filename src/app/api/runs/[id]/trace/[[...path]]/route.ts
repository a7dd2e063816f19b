// Playwright's trace viewer for one run, served by the dashboard (src/server/trace/viewer.ts): only to members of
// the run's team; everyone else gets 404.
import { getSession } from "@/server/auth";
import { getDb } from "@/server/db";
import { traceViewerResponse } from "@/server/trace/viewer";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, ctx: { params: Promise<{ id: string; path?: string[] }> }): Promise<Response> {
  const { id, path } = await ctx.params;
  const session = await getSession();
  if (!session) return new Response("Not found", { status: 404, headers: { "Cache-Control": "no-store" } });
  return traceViewerResponse(getDb(), session.user.id, id, (path ?? []).join("/"));
}
