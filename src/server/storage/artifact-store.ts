// Artifacts are files under serverEnv().artifactsDir at `<runId>/<name>`; the Artifact row is the index
// (file_path relative to the root, size, sha256). Files are written to a temp name and renamed, so a reader
// never sees half a screenshot.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Artifact, PrismaClient } from "@/generated/prisma/client";
import type { ArtifactType } from "@/generated/prisma/enums";
import { AppError } from "../errors";
import { serverEnv } from "../env";

export type WriteArtifactInput = {
  runId: string;
  stepIdx: number | null;
  type: ArtifactType;
  name: string;
  bytes: Buffer | Uint8Array;
  mime: string;
  /**
   * false: the caller knows no row of this name exists (a run attempt writes each name once, after clearing the
   * previous attempt's rows), so the row is inserted without first deleting a namesake. Default true.
   */
  replace?: boolean;
};

const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

function assertSafeSegment(segment: string, what: string): void {
  if (!SAFE_SEGMENT.test(segment) || segment.includes("..")) throw new AppError("BAD_REQUEST", `Invalid artifact ${what}: ${JSON.stringify(segment)}`);
}

/** Resolves a stored relative path under the artifact root, refusing anything that escapes it. */
export function resolveArtifactPath(filePath: string, root = serverEnv().artifactsDir): string {
  if (!filePath || path.isAbsolute(filePath) || filePath.includes("\0")) throw new AppError("BAD_REQUEST", "Invalid artifact path");
  const abs = path.resolve(root, filePath);
  const rel = path.relative(root, abs);
  if (!rel || rel.startsWith("..") || path.isAbsolute(rel)) throw new AppError("BAD_REQUEST", "Invalid artifact path");
  return abs;
}

export async function writeArtifact(db: PrismaClient, input: WriteArtifactInput, root = serverEnv().artifactsDir): Promise<Artifact> {
  assertSafeSegment(input.runId, "run id");
  assertSafeSegment(input.name, "name");
  const filePath = `${input.runId}/${input.name}`;
  const abs = resolveArtifactPath(filePath, root);
  await mkdir(path.dirname(abs), { recursive: true });
  const tmp = `${abs}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeFile(tmp, input.bytes);
    await rename(tmp, abs);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  const checksum = createHash("sha256").update(input.bytes).digest("hex");
  const data = { runId: input.runId, stepIdx: input.stepIdx, type: input.type, filePath, mime: input.mime, sizeBytes: input.bytes.byteLength, checksum };
  if (input.replace === false) return db.artifact.create({ data });
  // A retried run rewrites the same file names: replace the old index row rather than duplicating it.
  const [, artifact] = await db.$transaction([db.artifact.deleteMany({ where: { runId: input.runId, filePath } }), db.artifact.create({ data })]);
  return artifact;
}

export async function readArtifactFile(filePath: string, root = serverEnv().artifactsDir): Promise<Buffer> {
  const abs = resolveArtifactPath(filePath, root);
  try {
    return await readFile(abs);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new AppError("NOT_FOUND", "Artifact file not found");
    throw err;
  }
}

/** Removes a run's files (the rows go with the run by cascade). */
export async function deleteRunArtifacts(runId: string, root = serverEnv().artifactsDir): Promise<void> {
  assertSafeSegment(runId, "run id");
  await rm(resolveArtifactPath(runId, root), { recursive: true, force: true });
}
