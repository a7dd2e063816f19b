// GET /api/v1/artifacts/:id: a run artifact (step screenshot) for the token's team, so the screenshot URLs in
// GET /api/v1/runs/:id work with the same token. Other teams' artifacts are 404, like unknown ids. The bytes are
// streamed from the artifact store (local folder or S3).
import { getDb } from "@/server/db";
import { artifactResponse } from "@/server/storage/http";
import { notFound } from "@/server/tokens/http";
import { findTeamArtifact } from "@/server/tokens/run-api";
import { authenticate } from "../../_lib/request";

export const dynamic = "force-dynamic";

export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const caller = await authenticate(req, "api/v1/artifacts/[id]/route.ts");
  if (caller instanceof Response) return caller;
  const { id } = await ctx.params;
  if (id.length > 100) return notFound("Artifact");
  const artifact = await findTeamArtifact(getDb(), { teamId: caller.teamId, artifactId: id });
  if (!artifact) return notFound("Artifact");
  return (await artifactResponse({ id, ...artifact }, { cacheControl: "private, no-store" })) ?? notFound("Artifact");
}
