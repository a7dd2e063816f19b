// The /api/v1 route handlers called as Next calls them (exported GET/POST with real Request objects) against
// a real database: token auth, body validation, team scoping and the response shapes.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetServerEnv } from "@/server/env";
import { parseSteps } from "@/server/steps/step-parser";
import { writeArtifact } from "@/server/storage/artifact-store";
import { createApiToken, revokeApiToken } from "@/server/tokens/api-token";
import { createTestDatabase } from "../../../../../test/helpers/test-db";

type RouteModule = typeof import("./route");
type RunRouteModule = typeof import("./[id]/route");
type ArtifactRouteModule = typeof import("../artifacts/[id]/route");

// Links must use the configured public origin, not the address the request reached.
const ORIGIN = "https://pacts.example.com";
const DEMO = ['Fill "alice" in the Username field', "Click the Log in button", 'Expect text "Welcome, alice"'].join("\n");
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");

let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
let artifactsDir: string;
let runs: RouteModule;
let runById: RunRouteModule;
let artifacts: ArtifactRouteModule;
const A = { teamId: "", testId: "", token: "", tokenId: "" };
const B = { teamId: "", testId: "", token: "", runId: "" };

async function seedTeam(slug: string) {
  const db = tdb.db;
  const team = await db.team.create({ data: { name: slug, slug } });
  const parsed = parseSteps(DEMO);
  if (!parsed.ok) throw new Error("demo steps do not parse");
  const test = await db.test.create({
    data: { teamId: team.id, name: "Demo login", startUrl: "http://127.0.0.1:9/demo/login", source: DEMO, steps: parsed.steps },
  });
  const token = await createApiToken(db, { teamId: team.id, name: "ci" });
  return { teamId: team.id, testId: test.id, token: token.token, tokenId: token.id };
}

beforeAll(async () => {
  tdb = await createTestDatabase("app/api/v1/runs");
  artifactsDir = await mkdtemp(path.join(tmpdir(), "pacts-api-v1-"));
  // Route modules read the environment through serverEnv()/getDb() on first use.
  process.env.DATABASE_URL = tdb.url;
  process.env.ARTIFACTS_DIR = artifactsDir;
  process.env.NEXTAUTH_URL = `${ORIGIN}/`;
  process.env.REDIS_URL = "";
  resetServerEnv();
  runs = await import("./route");
  runById = await import("./[id]/route");
  artifacts = await import("../artifacts/[id]/route");

  Object.assign(A, await seedTeam("team-a"));
  const b = await seedTeam("team-b");
  Object.assign(B, b);
  B.runId = (
    await tdb.db.run.create({
      data: { teamId: b.teamId, testId: b.testId, testName: "Demo login", url: "http://x", steps: [], status: "PASSED" },
    })
  ).id;
});

afterAll(async () => {
  const { getDb } = await import("@/server/db");
  await getDb().$disconnect();
  await tdb?.drop();
  await rm(artifactsDir, { recursive: true, force: true });
});

function post(body: unknown, opts: { token?: string | null; contentType?: string; raw?: string } = {}): Request {
  const headers: Record<string, string> = { "content-type": opts.contentType ?? "application/json" };
  const token = opts.token === undefined ? A.token : opts.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  return new Request("http://127.0.0.1:3000/api/v1/runs", {
    method: "POST",
    headers,
    body: opts.raw ?? JSON.stringify(body),
  });
}

function get(url: string, token: string | null = A.token): Request {
  return new Request(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
}

const params = (id: string) => ({ params: Promise.resolve({ id }) });

async function json(res: Response) {
  expect(res.headers.get("content-type")).toContain("application/json");
  return (await res.json()) as Record<string, unknown> & { error?: { code: string; message: string; issues?: unknown[] } };
}

describe("POST /api/v1/runs", () => {
  it("queues a run by test name and returns its id and URLs (201)", async () => {
    const res = await runs.POST(post({ testName: "Demo login", dataRow: { user: "alice" } }));
    expect(res.status).toBe(201);
    const body = await json(res);
    const id = body.id as string;
    expect(body).toEqual({ id, status: "PENDING", url: `${ORIGIN}/runs/${id}`, api: `${ORIGIN}/api/v1/runs/${id}` });
    expect(res.headers.get("location")).toBe(`${ORIGIN}/api/v1/runs/${id}`);
    const run = await tdb.db.run.findUniqueOrThrow({ where: { id } });
    expect(run).toMatchObject({ teamId: A.teamId, testId: A.testId, trigger: "API", status: "PENDING", totalSteps: 3, dataRow: { user: "alice" } });
  });

  it("queues a run by test id", async () => {
    const res = await runs.POST(post({ testId: A.testId }));
    expect(res.status).toBe(201);
    const { id } = await json(res);
    expect((await tdb.db.run.findUniqueOrThrow({ where: { id: id as string } })).testId).toBe(A.testId);
  });

  it("401 with a Bearer challenge for a missing, malformed or unknown token", async () => {
    for (const [token, challenge] of [
      [null, 'Bearer realm="pacts"'],
      ["not-a-token", 'Bearer realm="pacts", error="invalid_token"'],
      [`pacts_${"x".repeat(43)}`, 'Bearer realm="pacts", error="invalid_token"'],
    ] as const) {
      const res = await runs.POST(post({ testName: "Demo login" }, { token }));
      expect(res.status, String(token)).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe(challenge);
      expect((await json(res)).error?.code).toBe("UNAUTHORIZED");
    }
    expect(await tdb.db.run.count({ where: { teamId: A.teamId, trigger: "API" } })).toBe(2);
  });

  it("404 for another team's test (by id or name) and for an unknown test", async () => {
    const other = await tdb.db.test.create({
      data: { teamId: B.teamId, name: "Only in B", startUrl: "http://x", source: DEMO, steps: (parseSteps(DEMO) as { steps: unknown[] }).steps as never },
    });
    for (const body of [{ testId: B.testId }, { testName: "Only in B" }, { testName: "Nope" }, { testId: "c".repeat(25) }]) {
      const res = await runs.POST(post(body));
      expect(res.status, JSON.stringify(body)).toBe(404);
      expect((await json(res)).error).toEqual({ code: "NOT_FOUND", message: "Test not found" });
    }
    expect(await tdb.db.run.count({ where: { testId: other.id } })).toBe(0);
  });

  it("415 for a non-JSON content type", async () => {
    const res = await runs.POST(post(null, { contentType: "text/plain", raw: "testName=Demo" }));
    expect(res.status).toBe(415);
    expect((await json(res)).error?.code).toBe("UNSUPPORTED_MEDIA_TYPE");
  });

  it("413 for a body over 64 KB", async () => {
    const res = await runs.POST(post({ testName: "Demo login", dataRow: { big: "x".repeat(70 * 1024) } }));
    expect(res.status).toBe(413);
    expect((await json(res)).error?.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("400 for invalid JSON", async () => {
    const res = await runs.POST(post(null, { raw: '{"testName": ' }));
    expect(res.status).toBe(400);
    expect((await json(res)).error?.code).toBe("INVALID_JSON");
  });

  it("400 naming the URL policy when a data row makes Go to a file: URL or a metadata address; nothing queued", async () => {
    const source = "Go to {{u}}";
    const steps = (parseSteps(source) as { steps: unknown[] }).steps as never;
    const t = await tdb.db.test.create({ data: { teamId: A.teamId, name: "Go anywhere", startUrl: "http://127.0.0.1:9/", source, steps } });
    for (const [u, reason] of [
      ["file:///etc/passwd", "only http and https URLs may be opened, not file:"],
      ["http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"],
      ["http://metadata.google.internal/", "metadata.google.internal is a cloud metadata endpoint"],
    ]) {
      const res = await runs.POST(post({ testId: t.id, dataRow: { u } }));
      expect(res.status, u).toBe(400);
      const { error } = await json(res);
      expect(error?.code).toBe("BAD_REQUEST");
      expect(error?.message).toContain(`Refused to open ${u} by the URL policy: ${reason}`);
    }
    expect(await tdb.db.run.count({ where: { testId: t.id } })).toBe(0);
  });

  it("403 for a viewer token on POST (it may read runs but not start them); nothing queued", async () => {
    const viewer = await createApiToken(tdb.db, { teamId: A.teamId, name: "viewer", role: "VIEWER" });
    const before = await tdb.db.run.count({ where: { teamId: A.teamId } });
    const res = await runs.POST(post({ testId: A.testId }, { token: viewer.token }));
    expect(res.status).toBe(403);
    expect((await json(res)).error).toEqual({ code: "FORBIDDEN", message: "This token's role (viewer) cannot do this; it needs member or above" });
    expect(await tdb.db.run.count({ where: { teamId: A.teamId } })).toBe(before);
    const read = await runById.GET(get(`http://127.0.0.1:3000/api/v1/runs/${B.runId}`, viewer.token), params(B.runId));
    expect(read.status).toBe(404); // another team's run: reading is allowed, but only its own team's
  });

  it.each([
    [{}, "testId"],
    [{ testId: "a", testName: "b" }, "testId"],
    [{ testName: "Demo login", dataRow: { n: 1 } }, "dataRow.n"],
    [{ testName: "Demo login", extra: true }, ""],
    [[], ""],
    [{ testName: "" }, "testName"],
  ])("400 with the zod issues listed for %j", async (body, issuePath) => {
    const res = await runs.POST(post(body));
    expect(res.status).toBe(400);
    const { error } = await json(res);
    expect(error?.code).toBe("BAD_REQUEST");
    expect(error?.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: issuePath })]));
  });

  it("a revoked token gets 401", async () => {
    const t = await createApiToken(tdb.db, { teamId: A.teamId, name: "short-lived" });
    expect((await runs.POST(post({ testName: "Demo login" }, { token: t.token }))).status).toBe(201);
    await revokeApiToken(tdb.db, { teamId: A.teamId, id: t.id });
    expect((await runs.POST(post({ testName: "Demo login" }, { token: t.token }))).status).toBe(401);
  });
});

describe("GET /api/v1/runs/:id", () => {
  it("returns status, steps with screenshot URLs, and links", async () => {
    const created = await json(await runs.POST(post({ testName: "Demo login" })));
    const id = created.id as string;

    const pending = await runById.GET(get(created.api as string), params(id));
    expect(pending.status).toBe(200);
    expect(await json(pending)).toMatchObject({ id, status: "PENDING", verdict: null, testName: "Demo login", steps: [] });

    // What the worker leaves behind after a clean run.
    const start = new Date("2030-01-01T10:00:00Z");
    await tdb.db.run.update({
      where: { id },
      data: {
        status: "PASSED",
        verdict: "CLEAN",
        startTime: start,
        endTime: new Date(start.getTime() + 1500),
        durationMs: 1500,
        completedSteps: 3,
        runSteps: {
          create: [
            { stepIdx: 0, text: "Fill", action: "fill", status: "PASSED", strategy: "label", selector: "#user", durationMs: 10 },
            { stepIdx: 1, text: "Click", action: "click", status: "PASSED", strategy: "role-name", selector: "role=button", durationMs: 20 },
            { stepIdx: 2, text: "Expect", action: "expect", status: "PASSED", durationMs: 5 },
          ],
        },
      },
    });
    const shot = await writeArtifact(tdb.db, { runId: id, stepIdx: 1, type: "SCREENSHOT", name: "step-1.png", bytes: PNG, mime: "image/png" });

    const res = await runById.GET(get(`http://127.0.0.1:3000/api/v1/runs/${id}`), params(id));
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({
      id,
      status: "PASSED",
      verdict: "CLEAN",
      testName: "Demo login",
      url: `${ORIGIN}/runs/${id}`,
      startTime: "2030-01-01T10:00:00.000Z",
      endTime: "2030-01-01T10:00:01.500Z",
      durationMs: 1500,
      error: null,
      links: { self: `${ORIGIN}/api/v1/runs/${id}`, web: `${ORIGIN}/runs/${id}`, test: `${ORIGIN}/tests/${A.testId}` },
    });
    expect(typeof body.createdAt).toBe("string");
    const steps = body.steps as Array<Record<string, unknown>>;
    expect(steps.map((s) => [s.idx, s.status, s.strategy, s.selector, s.durationMs, s.error])).toEqual([
      [0, "PASSED", "label", "#user", 10, null],
      [1, "PASSED", "role-name", "role=button", 20, null],
      [2, "PASSED", null, null, 5, null],
    ]);
    expect(steps[0]!.screenshot).toBeNull();
    expect(steps[1]!.screenshot).toBe(`${ORIGIN}/api/v1/artifacts/${shot.id}`);

    // The screenshot URL works with the same token, and only with a token of the run's team.
    const img = await artifacts.GET(get(steps[1]!.screenshot as string), params(shot.id));
    expect(img.status).toBe(200);
    expect(img.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await img.arrayBuffer()).equals(PNG)).toBe(true);
    expect((await artifacts.GET(get(steps[1]!.screenshot as string, B.token), params(shot.id))).status).toBe(404);
    expect((await artifacts.GET(get(steps[1]!.screenshot as string, null), params(shot.id))).status).toBe(401);
  });

  it("another team's run is the same 404 as an unknown id", async () => {
    const foreign = await runById.GET(get(`${ORIGIN}/api/v1/runs/${B.runId}`), params(B.runId));
    const unknown = await runById.GET(get(`${ORIGIN}/api/v1/runs/nope`), params("nope"));
    expect(foreign.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(await json(foreign)).toEqual(await json(unknown));
    // Team B's own token sees it.
    expect((await runById.GET(get(`${ORIGIN}/api/v1/runs/${B.runId}`, B.token), params(B.runId))).status).toBe(200);
  });

  it("401 without a token, never a redirect", async () => {
    const res = await runById.GET(get(`${ORIGIN}/api/v1/runs/${B.runId}`, null), params(B.runId));
    expect(res.status).toBe(401);
    expect(res.headers.get("location")).toBeNull();
    expect(res.headers.get("www-authenticate")).toContain("Bearer");
  });
});

describe("POST /api/v1/runs: the per-team queue cap", () => {
  it("429 with Retry-After once the team has MAX_QUEUED_RUNS_PER_TEAM runs queued; other teams are unaffected", async () => {
    const c = await seedTeam("team-cap");
    const d = await seedTeam("team-cap-other");
    const previous = process.env.MAX_QUEUED_RUNS_PER_TEAM;
    process.env.MAX_QUEUED_RUNS_PER_TEAM = "2";
    try {
      // Concurrent requests cannot overshoot the cap: exactly two of five are queued.
      const results = await Promise.all(Array.from({ length: 5 }, () => runs.POST(post({ testId: c.testId }, { token: c.token }))));
      expect(results.map((r) => r.status).sort()).toEqual([201, 201, 429, 429, 429]);
      const refused = results.find((r) => r.status === 429)!;
      expect(refused.headers.get("retry-after")).toBe("30");
      expect((await json(refused)).error).toEqual({
        code: "TOO_MANY_REQUESTS",
        message: "This team already has 2 runs queued (the limit is 2); wait for some to start, then try again",
      });
      expect(await tdb.db.run.count({ where: { teamId: c.teamId, status: "PENDING" } })).toBe(2);
      // Another team still queues.
      expect((await runs.POST(post({ testId: d.testId }, { token: d.token }))).status).toBe(201);
      // Once one of C's runs has started, C may queue one more.
      const first = await tdb.db.run.findFirstOrThrow({ where: { teamId: c.teamId, status: "PENDING" } });
      await tdb.db.run.update({ where: { id: first.id }, data: { status: "RUNNING", workerId: "w" } });
      expect((await runs.POST(post({ testId: c.testId }, { token: c.token }))).status).toBe(201);
      expect((await runs.POST(post({ testId: c.testId }, { token: c.token }))).status).toBe(429);
    } finally {
      if (previous === undefined) delete process.env.MAX_QUEUED_RUNS_PER_TEAM;
      else process.env.MAX_QUEUED_RUNS_PER_TEAM = previous;
    }
  });
});
