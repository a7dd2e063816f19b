// Serves a run artifact (screenshot, generated spec) only to members of the run's team. Everyone else,
// signed in or not, gets the same 404 so the response never reveals that an artifact id exists. The bytes are
// streamed from the artifact store (local folder or S3).
import { getSession } from "@/server/auth";
import { getDb } from "@/server/db";
import { artifactResponse } from "@/server/storage/http";

export const dynamic = "force-dynamic";

const notFound = () =>
  new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });

export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await ctx.params;
  const session = await getSession();
  if (!session || id.length > 100) return notFound();

  const db = getDb();
  const artifact = await db.artifact.findUnique({
    where: { id },
    select: { id: true, filePath: true, mime: true, run: { select: { teamId: true } } },
  });
  if (!artifact) return notFound();
  const membership = await db.membership.findUnique({
    where: { userId_teamId: { userId: session.user.id, teamId: artifact.run.teamId } },
    select: { id: true },
  });
  if (!membership) return notFound();

  // A screenshot can show a team's data: never kept by a shared cache or the browser's disk cache.
  // ?download=1: saved under the artifact's own file name instead of shown.
  const download = new URL(req.url).searchParams.get("download") === "1" ? (artifact.filePath.split("/").pop() ?? "artifact") : undefined;
  return (await artifactResponse(artifact, { cacheControl: "private, no-store", download })) ?? notFound();
}
