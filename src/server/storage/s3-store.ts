// Artifacts in an S3-compatible bucket (AWS S3, MinIO, Ceph, R2, ...), chosen when ARTIFACTS_S3_BUCKET is set
// (src/server/env.ts validates the settings), so web and worker hosts need no shared disk. Keys are the artifact
// rows' file_path under an optional ARTIFACTS_S3_PREFIX.
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { AppError } from "../errors";
import { type ArtifactStore, assertKey, type OpenedArtifact } from "./store";

export type S3StoreConfig = {
  bucket: string;
  region: string;
  endpoint?: string;
  forcePathStyle: boolean;
  /** Unset: the SDK's default chain (AWS_ACCESS_KEY_ID, profiles, instance roles). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Key prefix inside the bucket ("" or e.g. "pacts/"). */
  prefix: string;
};

function isMissing(err: unknown): boolean {
  if (err instanceof S3ServiceException) return err.name === "NoSuchKey" || err.name === "NotFound" || err.$metadata.httpStatusCode === 404;
  return false;
}

export class S3ArtifactStore implements ArtifactStore {
  readonly kind = "s3" as const;
  readonly client: S3Client;

  constructor(readonly config: S3StoreConfig) {
    this.client = new S3Client({
      region: config.region,
      endpoint: config.endpoint,
      forcePathStyle: config.forcePathStyle,
      credentials: config.credentials,
      // Plain Content-MD5-free PUTs: many S3-compatible servers do not take the SDK's default trailing checksums.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      maxAttempts: 3,
    });
  }

  private key(key: string): string {
    assertKey(key);
    return `${this.config.prefix}${key}`;
  }

  async put(key: string, bytes: Buffer | Uint8Array, mime: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.config.bucket, Key: this.key(key), Body: bytes, ContentType: mime, ContentLength: bytes.byteLength }),
    );
  }

  private async getObject(key: string) {
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.config.bucket, Key: this.key(key) }));
      if (!res.Body) throw new AppError("NOT_FOUND", "Artifact file not found");
      return res;
    } catch (err) {
      if (isMissing(err)) throw new AppError("NOT_FOUND", "Artifact file not found");
      throw err;
    }
  }

  async get(key: string): Promise<Buffer> {
    const res = await this.getObject(key);
    return Buffer.from(await res.Body!.transformToByteArray());
  }

  async open(key: string): Promise<OpenedArtifact> {
    const res = await this.getObject(key);
    return { body: res.Body!.transformToWebStream() as ReadableStream<Uint8Array>, size: res.ContentLength ?? 0 };
  }

  async delete(key: string): Promise<void> {
    // Deleting an absent key succeeds in S3.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.config.bucket, Key: this.key(key) }));
  }

  async deletePrefix(prefix: string): Promise<void> {
    const Prefix = `${this.key(prefix)}/`;
    let ContinuationToken: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.config.bucket, Prefix, ContinuationToken }));
      const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
      if (keys.length) await this.client.send(new DeleteObjectsCommand({ Bucket: this.config.bucket, Delete: { Objects: keys, Quiet: true } }));
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }
}
