// Artifacts are objects in the artifact store (src/server/storage/store.ts: a local folder, or an S3 bucket) at `<runId>/<name>`; the Artifact row
// is the index (file_path = the store key, size, sha256). Objects are written whole, so a reader never sees half
// a screenshot.
import { createHash } from "node:crypto";
import type { Artifact, PrismaClient } from "@/generated/prisma/client";
import type { ArtifactType } from "@/generated/prisma/enums";
import { AppError } from "../errors";
import { serverEnv } from "../env";
import { S3ArtifactStore } from "./s3-store";
import { type ArtifactStore, assertKey, LocalArtifactStore, type OpenedArtifact, resolveUnder } from "./store";

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

const stores = new Map<string, ArtifactStore>();

/** The process's artifact store, chosen by the environment (local folder unless S3 is configured). */
export function artifactStore(): ArtifactStore {
  const env = serverEnv();
  const s3 = env.s3;
  const id = s3 ? `s3:${JSON.stringify(s3)}` : `local:${env.artifactsDir}`;
  let store = stores.get(id);
  if (!store) stores.set(id, (store = s3 ? new S3ArtifactStore(s3) : new LocalArtifactStore(env.artifactsDir)));
  return store;
}

/** Resolves a stored relative path under the artifact root, refusing anything that escapes it. */
export function resolveArtifactPath(filePath: string, root = serverEnv().artifactsDir): string {
  return resolveUnder(root, filePath);
}

export async function writeArtifact(db: PrismaClient, input: WriteArtifactInput, store: ArtifactStore = artifactStore()): Promise<Artifact> {
  assertSafeSegment(input.runId, "run id");
  assertSafeSegment(input.name, "name");
  const filePath = `${input.runId}/${input.name}`;
  await store.put(filePath, input.bytes, input.mime);
  const checksum = createHash("sha256").update(input.bytes).digest("hex");
  const data = { runId: input.runId, stepIdx: input.stepIdx, type: input.type, filePath, mime: input.mime, sizeBytes: input.bytes.byteLength, checksum };
  if (input.replace === false) return db.artifact.create({ data });
  // A retried run rewrites the same file names: replace the old index row rather than duplicating it.
  const [, artifact] = await db.$transaction([db.artifact.deleteMany({ where: { runId: input.runId, filePath } }), db.artifact.create({ data })]);
  return artifact;
}

export async function readArtifactFile(filePath: string, store: ArtifactStore = artifactStore()): Promise<Buffer> {
  assertKey(filePath);
  return store.get(filePath);
}

/** A stream of the artifact's bytes (the artifact routes), after the caller checked access to its row. */
export async function openArtifactFile(filePath: string, store: ArtifactStore = artifactStore()): Promise<OpenedArtifact> {
  assertKey(filePath);
  return store.open(filePath);
}

/** Removes a run's files (the rows go with the run by cascade). */
export async function deleteRunArtifacts(runId: string, store: ArtifactStore = artifactStore()): Promise<void> {
  assertSafeSegment(runId, "run id");
  await store.deletePrefix(runId);
}

