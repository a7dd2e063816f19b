// Where artifact bytes live. The Artifact row is the index (file_path = the store key, `<runId>/<name>`); a store
// only maps keys to bytes. The local store keeps files under ARTIFACTS_DIR; src/server/storage/s3-store.ts keeps
// objects in an S3-compatible bucket when ARTIFACTS_S3_BUCKET is set (serverEnv), so hosts share no disk.
import { createReadStream } from "node:fs";
import { mkdir, readFile, rename, rm, rmdir, stat, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { Readable } from "node:stream";
import { AppError } from "../errors";

export type OpenedArtifact = { body: ReadableStream<Uint8Array>; size: number };

export interface ArtifactStore {
  readonly kind: "local" | "s3";
  /** Writes the whole object; a reader never sees half of it. */
  put(key: string, bytes: Buffer | Uint8Array, mime: string): Promise<void>;
  /** The object's bytes; AppError NOT_FOUND when absent. */
  get(key: string): Promise<Buffer>;
  /** A stream of the object's bytes and its size; AppError NOT_FOUND when absent. */
  open(key: string): Promise<OpenedArtifact>;
  /** Deletes one object; deleting an absent one succeeds. */
  delete(key: string): Promise<void>;
  /** Deletes every object whose key starts with `prefix/`. */
  deletePrefix(prefix: string): Promise<void>;
}

/** Validates a store key: relative, no `..` segment, no NUL, no empty segment. */
export function assertKey(key: string): void {
  if (!key || key.startsWith("/") || key.includes("\0") || key.includes("\\")) throw new AppError("BAD_REQUEST", "Invalid artifact path");
  for (const seg of key.split("/")) if (!seg || seg === "." || seg === "..") throw new AppError("BAD_REQUEST", "Invalid artifact path");
}

/** Resolves a stored relative path under the artifact root, refusing anything that escapes it. */
export function resolveUnder(root: string, filePath: string): string {
  if (!filePath || path.isAbsolute(filePath) || filePath.includes("\0")) throw new AppError("BAD_REQUEST", "Invalid artifact path");
  const abs = path.resolve(root, filePath);
  const rel = path.relative(root, abs);
  if (!rel || rel.startsWith("..") || path.isAbsolute(rel)) throw new AppError("BAD_REQUEST", "Invalid artifact path");
  return abs;
}

const notFound = (err: unknown) => {
  if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new AppError("NOT_FOUND", "Artifact file not found");
  throw err;
};

export class LocalArtifactStore implements ArtifactStore {
  readonly kind = "local" as const;
  constructor(readonly root: string) {}

  async put(key: string, bytes: Buffer | Uint8Array, _mime?: string): Promise<void> {
    const abs = resolveUnder(this.root, key);
    await mkdir(path.dirname(abs), { recursive: true });
    const tmp = `${abs}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      await writeFile(tmp, bytes);
      await rename(tmp, abs);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async get(key: string): Promise<Buffer> {
    return readFile(resolveUnder(this.root, key)).catch(notFound);
  }

  async open(key: string): Promise<OpenedArtifact> {
    const abs = resolveUnder(this.root, key);
    const st = await stat(abs).catch(notFound);
    if (!st.isFile()) throw new AppError("NOT_FOUND", "Artifact file not found");
    return { body: Readable.toWeb(createReadStream(abs)) as ReadableStream<Uint8Array>, size: st.size };
  }

  async delete(key: string): Promise<void> {
    const abs = resolveUnder(this.root, key);
    await rm(abs, { force: true });
    // The run's folder goes with its last file; a folder that still has files stays.
    const dir = path.dirname(abs);
    if (dir !== this.root) await rmdir(dir).catch(() => undefined);
  }

  async deletePrefix(prefix: string): Promise<void> {
    await rm(resolveUnder(this.root, prefix), { recursive: true, force: true });
  }
}
