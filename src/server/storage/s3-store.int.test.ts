// The S3 artifact store against a real S3 protocol server on loopback (s3rver, random port): chosen by the
// ARTIFACTS_S3_* environment, written by writeArtifact, streamed by the API artifact route with its team check,
// and deleted by retention through the same store interface; nothing lands in ARTIFACTS_DIR.
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, expect, it } from "vitest";
import { resetServerEnv } from "@/server/env";
import { createApiToken } from "@/server/tokens/api-token";
import { createTestDatabase } from "../../../test/helpers/test-db";
import { S3_TEST_CREDENTIALS, startS3 } from "../../../test/helpers/s3";
import { runRetention, setRetention } from "../retention/retention";
import { artifactStore, deleteRunArtifacts, readArtifactFile, writeArtifact } from "./artifact-store";

type ArtifactRouteModule = typeof import("../../app/api/v1/artifacts/[id]/route");

const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
const ENV_KEYS = ["DATABASE_URL", "ARTIFACTS_DIR", "REDIS_URL", "ARTIFACTS_S3_BUCKET", "ARTIFACTS_S3_ENDPOINT", "ARTIFACTS_S3_REGION", "ARTIFACTS_S3_ACCESS_KEY_ID", "ARTIFACTS_S3_SECRET_ACCESS_KEY", "ARTIFACTS_S3_FORCE_PATH_STYLE", "ARTIFACTS_S3_PREFIX"];
const savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));

let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
let s3: Awaited<ReturnType<typeof startS3>>;
let localDir: string;
let raw: S3Client;
let route: ArtifactRouteModule;

beforeAll(async () => {
  tdb = await createTestDatabase("server/storage/s3-store");
  s3 = await startS3();
  localDir = await mkdtemp(path.join(tmpdir(), "pacts-s3-local-"));
  Object.assign(process.env, {
    DATABASE_URL: tdb.url,
    ARTIFACTS_DIR: localDir,
    REDIS_URL: "",
    ARTIFACTS_S3_BUCKET: s3.bucket,
    ARTIFACTS_S3_ENDPOINT: s3.endpoint,
    ARTIFACTS_S3_REGION: "us-east-1",
    ARTIFACTS_S3_ACCESS_KEY_ID: S3_TEST_CREDENTIALS.accessKeyId,
    ARTIFACTS_S3_SECRET_ACCESS_KEY: S3_TEST_CREDENTIALS.secretAccessKey,
    ARTIFACTS_S3_FORCE_PATH_STYLE: "true",
    ARTIFACTS_S3_PREFIX: "pacts/",
  });
  resetServerEnv();
  raw = new S3Client({ region: "us-east-1", endpoint: s3.endpoint, forcePathStyle: true, credentials: S3_TEST_CREDENTIALS });
  route = await import("../../app/api/v1/artifacts/[id]/route");
});

afterAll(async () => {
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetServerEnv();
  raw?.destroy();
  await s3?.stop();
  await tdb?.drop();
  if (localDir) await rm(localDir, { recursive: true, force: true });
});

/** The object's bytes read straight from the server, or null when it has no such key. */
async function objectBytes(key: string): Promise<Buffer | null> {
  try {
    const res = await raw.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
    return Buffer.from(await res.Body!.transformToByteArray());
  } catch (err) {
    if ((err as { name?: string }).name === "NoSuchKey") return null;
    throw err;
  }
}

const get = (id: string, token: string) =>
  route.GET(new Request(`http://127.0.0.1:3000/api/v1/artifacts/${id}`, { headers: { authorization: `Bearer ${token}` } }), {
    params: Promise.resolve({ id }),
  });

it("stores artifacts in the bucket, streams them to the owning team only, and retention deletes them", async () => {
  const db = tdb.db;
  expect(artifactStore().kind).toBe("s3");
  const teamA = await db.team.create({ data: { name: "A", slug: "s3-a" } });
  const teamB = await db.team.create({ data: { name: "B", slug: "s3-b" } });
  const tokenA = (await createApiToken(db, { teamId: teamA.id, name: "ci" })).token;
  const tokenB = (await createApiToken(db, { teamId: teamB.id, name: "ci" })).token;
  const run = await db.run.create({
    data: { teamId: teamA.id, testName: "t", url: "http://127.0.0.1/", steps: [], status: "PASSED", createdAt: new Date(Date.now() - 3 * 86_400_000) },
  });

  const shot = await writeArtifact(db, { runId: run.id, stepIdx: 0, type: "SCREENSHOT", name: "step-0.png", bytes: PNG, mime: "image/png" });
  const spec = await writeArtifact(db, { runId: run.id, stepIdx: null, type: "TEST_FILE", name: "test.spec.ts", bytes: Buffer.from("<b>spec</b>"), mime: "text/typescript" });
  expect(shot.filePath).toBe(`${run.id}/step-0.png`);
  // In the bucket under the prefix, and nothing on the local disk.
  expect((await objectBytes(`pacts/${shot.filePath}`))?.equals(PNG)).toBe(true);
  expect(await readdir(localDir)).toEqual([]);
  expect((await readArtifactFile(spec.filePath)).toString()).toBe("<b>spec</b>");

  const img = await get(shot.id, tokenA);
  expect(img.status).toBe(200);
  expect(img.headers.get("content-type")).toBe("image/png");
  expect(img.headers.get("content-length")).toBe(String(PNG.length));
  expect(img.body).toBeInstanceOf(ReadableStream);
  expect(Buffer.from(await img.arrayBuffer()).equals(PNG)).toBe(true);
  const text = await get(spec.id, tokenA);
  expect(text.headers.get("content-type")).toBe("text/plain; charset=utf-8");
  expect(await text.text()).toBe("<b>spec</b>");
  // Another team's token: the same 404 as an unknown id.
  expect((await get(shot.id, tokenB)).status).toBe(404);
  expect((await get("nope", tokenA)).status).toBe(404);

  // Retention (2 days) removes the rows, then the objects, through the same store.
  await setRetention(db, teamA.id, { runDays: 2, healEventDays: 2 });
  const res = await runRetention(db, { store: artifactStore(), batchSize: 100 });
  expect(res).toMatchObject({ runsDeleted: 1, artifactsQueued: 2, filesDeleted: 2, fileErrors: 0 });
  expect(await objectBytes(`pacts/${shot.filePath}`)).toBeNull();
  expect(await objectBytes(`pacts/${spec.filePath}`)).toBeNull();
  expect(await db.artifactDeletion.count()).toBe(0);
  expect((await get(shot.id, tokenA)).status).toBe(404);
});

it("a row whose object is missing answers 404, and deleteRunArtifacts empties a run's prefix", async () => {
  const db = tdb.db;
  const team = await db.team.create({ data: { name: "C", slug: "s3-c" } });
  const token = (await createApiToken(db, { teamId: team.id, name: "ci" })).token;
  const run = await db.run.create({ data: { teamId: team.id, testName: "t", url: "http://127.0.0.1/", steps: [], status: "PASSED" } });
  const names = ["step-0.png", "step-1.png", "blocked.html"];
  const rows = [];
  for (const name of names) rows.push(await writeArtifact(db, { runId: run.id, stepIdx: 0, type: "SCREENSHOT", name, bytes: PNG, mime: "image/png" }));
  const other = await db.run.create({ data: { teamId: team.id, testName: "t", url: "http://127.0.0.1/", steps: [], status: "PASSED" } });
  const kept = await writeArtifact(db, { runId: other.id, stepIdx: 0, type: "SCREENSHOT", name: "step-0.png", bytes: PNG, mime: "image/png" });

  await deleteRunArtifacts(run.id);
  for (const r of rows) {
    expect(await objectBytes(`pacts/${r.filePath}`)).toBeNull();
    expect((await get(r.id, token)).status).toBe(404);
  }
  expect((await objectBytes(`pacts/${kept.filePath}`))?.equals(PNG)).toBe(true);
  expect(existsSync(path.join(localDir, run.id))).toBe(false);
});
