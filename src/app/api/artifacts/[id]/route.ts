// Serves a run artifact (screenshot, generated spec) only to members of the run's team. Everyone else,
// signed in or not, gets the same 404 so the response never reveals that an artifact id exists.
import { getSession } from "@/server/auth";
import { getDb } from "@/server/db";
import { logger } from "@/server/logger";
import { readArtifactFile } from "@/server/storage/artifact-store";

export const dynamic = "force-dynamic";

const notFound = () =>
  new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });

// Text artifacts are shown as plain text so a browser never renders or executes them.
function contentTypeFor(mime: string): string {
  if (mime.startsWith("image/")) return mime;
  return "text/plain; charset=utf-8";
}

export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await ctx.params;
  const session = await getSession();
  if (!session || id.length > 100) return notFound();

  const db = getDb();
  const artifact = await db.artifact.findUnique({
    where: { id },
    select: { filePath: true, mime: true, run: { select: { teamId: true } } },
  });
  if (!artifact) return notFound();
  const membership = await db.membership.findUnique({
    where: { userId_teamId: { userId: session.user.id, teamId: artifact.run.teamId } },
    select: { id: true },
  });
  if (!membership) return notFound();

  let body: Buffer;
  try {
    body = await readArtifactFile(artifact.filePath);
  } catch (err) {
    logger.warn({ err, artifactId: id }, "artifact row without a readable file");
    return notFound();
  }
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: {
      "Content-Type": contentTypeFor(artifact.mime),
      "Content-Length": String(body.length),
      // A screenshot can show a team's data: never kept by a shared cache or the browser's disk cache.
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
