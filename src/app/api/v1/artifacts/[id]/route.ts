// GET /api/v1/artifacts/:id: a run artifact (step screenshot) for the token's team, so the screenshot URLs in
// GET /api/v1/runs/:id work with the same token. Other teams' artifacts are 404, like unknown ids.
import { getDb } from "@/server/db";
import { logger } from "@/server/logger";
import { readArtifactFile } from "@/server/storage/artifact-store";
import { notFound } from "@/server/tokens/http";
import { findTeamArtifact } from "@/server/tokens/run-api";
import { authenticate } from "../../_lib/request";

export const dynamic = "force-dynamic";

export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const caller = await authenticate(req);
  if (caller instanceof Response) return caller;
  const { id } = await ctx.params;
  if (id.length > 100) return notFound("Artifact");
  const artifact = await findTeamArtifact(getDb(), { teamId: caller.teamId, artifactId: id });
  if (!artifact) return notFound("Artifact");
  let bytes: Buffer;
  try {
    bytes = await readArtifactFile(artifact.filePath);
  } catch (err) {
    logger.warn({ err, artifactId: id }, "artifact row without a readable file");
    return notFound("Artifact");
  }
  return new Response(new Uint8Array(bytes), {
    status: 200,
    headers: {
      // Only images keep their type; text artifacts are served as plain text so nothing renders or runs.
      "Content-Type": artifact.mime.startsWith("image/") ? artifact.mime : "text/plain; charset=utf-8",
      "Content-Length": String(bytes.length),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
