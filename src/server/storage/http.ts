// The bytes of an artifact whose row the caller has already authorised, as a streamed HTTP response, for the
// dashboard route (src/app/api/artifacts/[id]) and the API route (src/app/api/v1/artifacts/[id]); works the same
// for the local and the S3 store.
import { AppError } from "../errors";
import { logger } from "../logger";
import { openArtifactFile } from "./artifact-store";
import type { ArtifactStore } from "./store";

// Text artifacts are served as plain text so a browser never renders or executes them.
export function artifactContentType(mime: string): string {
  return mime.startsWith("image/") ? mime : "text/plain; charset=utf-8";
}

/** The streamed response, or null when the row has no readable object (logged; callers answer 404). */
export async function artifactResponse(
  artifact: { id: string; filePath: string; mime: string },
  /** download: a file name to save the bytes as (Content-Disposition: attachment). */
  opts: { cacheControl: string; store?: ArtifactStore; download?: string },
): Promise<Response | null> {
  let opened;
  try {
    opened = await openArtifactFile(artifact.filePath, opts.store);
  } catch (err) {
    if (!(err instanceof AppError)) logger.error({ err, artifactId: artifact.id }, "artifact store failed");
    else logger.warn({ err, artifactId: artifact.id }, "artifact row without a readable file");
    return null;
  }
  return new Response(opened.body, {
    status: 200,
    headers: {
      "Content-Type": artifactContentType(artifact.mime),
      "Content-Length": String(opened.size),
      "Cache-Control": opts.cacheControl,
      "X-Content-Type-Options": "nosniff",
      ...(opts.download ? { "Content-Disposition": `attachment; filename="${opts.download.replace(/[^A-Za-z0-9._-]/g, "_")}"` } : {}),
    },
  });
}
