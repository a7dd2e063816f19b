// `pacts trigger` against a tiny node:http server that answers like /api/v1/runs (its bodies are typed with the
// real API's response types, so they cannot drift silently). Checks what the CLI sends, how it follows the
// status sequence, what it prints, and its exit code for every terminal status.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ApiRun } from "@/server/tokens/run-api";
import { triggerCommand } from "./trigger";

type Seen = { method: string; url: string; auth: string | undefined; contentType: string | undefined; body: string };
type Reply = { status: number; body: unknown };

let server: http.Server;
let base: string;
let seen: Seen[] = [];
let onPost: (body: Record<string, unknown>) => Reply = () => ({ status: 500, body: {} });
let pollReplies: Reply[] = [];

const RUN_ID = "crun0000000000000000000001";

function apiRun(status: ApiRun["status"], stepStatuses: Array<ApiRun["steps"][number]["status"]>, extra: Partial<ApiRun> = {}): ApiRun {
  return {
    id: RUN_ID,
    status,
    verdict: null,
    testId: "ctest",
    testName: "Demo login",
    url: `${base}/runs/${RUN_ID}`,
    startUrl: "http://127.0.0.1/demo/login",
    createdAt: new Date().toISOString(),
    startTime: null,
    endTime: null,
    durationMs: null,
    totalSteps: 3,
    completedSteps: stepStatuses.filter((s) => s === "PASSED").length,
    error: null,
    steps: stepStatuses.map((s, idx) => ({
      idx,
      text: `Step number ${idx + 1}`,
      status: s,
      strategy: s === "PASSED" ? "label" : null,
      selector: null,
      durationMs: s === "PASSED" ? 10 * (idx + 1) : null,
      error: s === "FAILED" ? `boom at ${idx + 1}` : null,
      screenshot: null,
    })),
    links: { self: `${base}/api/v1/runs/${RUN_ID}`, web: `${base}/runs/${RUN_ID}`, test: null },
    ...extra,
  };
}

const queued = () => ({ status: 201, body: { id: RUN_ID, status: "PENDING", url: `${base}/runs/${RUN_ID}`, api: `${base}/api/v1/runs/${RUN_ID}` } });

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", auth: req.headers.authorization, contentType: req.headers["content-type"], body });
      let reply: Reply;
      if (req.method === "POST" && req.url === "/api/v1/runs") reply = onPost(JSON.parse(body) as Record<string, unknown>);
      else if (req.method === "GET" && req.url === `/api/v1/runs/${RUN_ID}`) {
        // The last scripted reply repeats (a run that stays RUNNING).
        reply = pollReplies.length > 1 ? pollReplies.shift()! : (pollReplies[0] ?? { status: 500, body: {} });
      } else reply = { status: 404, body: { error: { code: "NOT_FOUND", message: "no route" } } };
      res.writeHead(reply.status, { "content-type": "application/json" });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

afterEach(() => {
  seen = [];
  pollReplies = [];
  onPost = () => ({ status: 500, body: {} });
});

function capture() {
  let text = "";
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      text += chunk.toString("utf8");
      cb();
    },
  });
  return { stream, text: () => text };
}

async function trigger(argv: string[], env: Record<string, string | undefined> = { PACTS_URL: base, PACTS_TOKEN: "pacts_secret" }) {
  const out = capture();
  const err = capture();
  const code = await triggerCommand(argv, { stdout: out.stream, stderr: err.stream, env }, { pollIntervalMs: 5 });
  return { code, stdout: out.text(), stderr: err.text() };
}

describe("pacts trigger", () => {
  it("queues by name with the bearer token, follows the run and exits 0 on PASSED", async () => {
    onPost = () => queued();
    pollReplies = [
      { status: 200, body: apiRun("PENDING", []) },
      { status: 200, body: apiRun("RUNNING", ["PASSED", "RUNNING"]) },
      { status: 200, body: apiRun("RUNNING", ["PASSED", "RUNNING"]) },
      { status: 200, body: apiRun("RUNNING", ["PASSED", "PASSED", "RUNNING"]) },
      { status: 200, body: apiRun("PASSED", ["PASSED", "PASSED", "PASSED"], { verdict: "CLEAN", durationMs: 1234 }) },
    ];
    const r = await trigger(["--test", "Demo login", "--wait"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const post = seen[0]!;
    expect(post).toMatchObject({ method: "POST", url: "/api/v1/runs", auth: "Bearer pacts_secret", contentType: "application/json" });
    expect(JSON.parse(post.body)).toEqual({ testName: "Demo login" });
    expect(seen.slice(1).every((s) => s.method === "GET" && s.auth === "Bearer pacts_secret")).toBe(true);

    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toEqual([
      `Queued run ${RUN_ID}  ${base}/runs/${RUN_ID}`,
      "status: PENDING",
      "status: RUNNING",
      "  ✓ 1. Step number 1  (label  10 ms)",
      "  ✓ 2. Step number 2  (label  20 ms)",
      "  ✓ 3. Step number 3  (label  30 ms)",
      "status: PASSED",
      `PASSED (CLEAN)  1.23 s  Demo login  ${base}/runs/${RUN_ID}`,
    ]);
  });

  it.each(["FAILED", "ERROR", "BLOCKED", "CANCELLED"] as const)("exits 1 when the run ends %s", async (status) => {
    onPost = () => queued();
    pollReplies = [
      { status: 200, body: apiRun("RUNNING", ["PASSED"]) },
      { status: 200, body: apiRun(status, ["PASSED", "FAILED", "SKIPPED"], { error: "it broke" }) },
    ];
    const r = await trigger(["--test", "Demo login", "--wait"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`status: ${status}`);
    expect(r.stdout).toContain("  ✗ 2. Step number 2\n      boom at 2");
    expect(r.stdout).toContain("  - 3. Step number 3");
    expect(r.stdout).toContain("  it broke");
  });

  it("exits 1 on a status it does not know rather than guessing", async () => {
    onPost = () => queued();
    pollReplies = [{ status: 200, body: { ...apiRun("PASSED", []), status: "SUCCESS" } }];
    const r = await trigger(["--test", "Demo login", "--wait"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unexpected answer");
  });

  it("exits 1 when --timeout passes while the run is still RUNNING", async () => {
    onPost = () => queued();
    pollReplies = [{ status: 200, body: apiRun("RUNNING", []) }];
    const started = Date.now();
    const r = await trigger(["--test", "Demo login", "--wait", "--timeout", "0.3"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/timed out after 0.3 s; run \S+ is still RUNNING/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(seen.filter((s) => s.method === "GET").length).toBeGreaterThan(1);
  });

  it("without --wait prints the run and exits 0 without polling", async () => {
    onPost = () => queued();
    const r = await trigger(["--test", "Demo login"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Queued run ${RUN_ID}  ${base}/runs/${RUN_ID}\n`);
    expect(seen.map((s) => s.method)).toEqual(["POST"]);
  });

  it("an id-looking --test is tried as testId, then as a name", async () => {
    const id = "clx0000000000000000000000a";
    onPost = (body) => (body.testName === id ? queued() : { status: 404, body: { error: { code: "NOT_FOUND", message: "Test not found" } } });
    const r = await trigger(["--test", id]);
    expect(r.code).toBe(0);
    expect(seen.map((s) => JSON.parse(s.body) as unknown)).toEqual([{ testId: id }, { testName: id }]);
  });

  it.each([
    [401, "UNAUTHORIZED", "The API token is invalid or revoked"],
    [404, "NOT_FOUND", "Test not found"],
    [400, "BAD_REQUEST", "Invalid body"],
  ])("exits 2 on HTTP %i and shows the server's message", async (status, code, message) => {
    onPost = () => ({ status, body: { error: { code, message } } });
    const r = await trigger(["--test", "Demo login", "--wait"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`HTTP ${status} ${code}: ${message}`);
  });

  it("exits 1 on a server error or an unreachable server", async () => {
    onPost = () => ({ status: 503, body: "down" });
    expect((await trigger(["--test", "Demo login"])).code).toBe(1);
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const r = await trigger(["--test", "x"], { PACTS_URL: `http://127.0.0.1:${port}`, PACTS_TOKEN: "t" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("cannot reach");
  });

  it.each([
    [["--test", "x"], { PACTS_TOKEN: "t" }, "PACTS_URL is not set"],
    [["--test", "x"], { PACTS_URL: "http://127.0.0.1:9" }, "PACTS_TOKEN is not set"],
    [["--test", "x"], { PACTS_URL: "ftp://h", PACTS_TOKEN: "t" }, "PACTS_URL must be an absolute http(s) URL"],
    [[], { PACTS_URL: "http://127.0.0.1:9", PACTS_TOKEN: "t" }, "--test <id|name> is required"],
    [["--test", "x", "--wait", "--timeout", "soon"], { PACTS_URL: "http://127.0.0.1:9", PACTS_TOKEN: "t" }, "--timeout must be"],
    [["--test", "x", "--bogus"], { PACTS_URL: "http://127.0.0.1:9", PACTS_TOKEN: "t" }, "Unknown option"],
  ])("usage error %j -> exit 2", async (argv, env, message) => {
    const r = await trigger(argv, env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(seen).toHaveLength(0);
  });
});
