// `pacts` as a user runs it: a child process `node bin/pacts.mjs …` against the real Postgres (its own test
// database), real Chromium and a tiny local login page. Checks exit codes, that --json prints exactly one line
// matching the published schema, where errors go, and what lands in the database.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../test/helpers/test-db";
import { ZRunReport } from "./run-report";
import { TEST_CHROMIUM_ARGS } from "../../test/helpers/chromium";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BIN = path.join(ROOT, "bin/pacts.mjs");


const LOGIN_PAGE = `<!doctype html><html><head><title>Login</title></head><body>
<form id="f">
  <label for="user">Username</label><input id="user">
  <label for="pw">Password</label><input id="pw" type="password">
  <button type="submit">Log in</button>
</form>
<p id="out"></p>
<script>
document.getElementById('f').addEventListener('submit', (e) => {
  e.preventDefault();
  const ok = document.getElementById('pw').value === 'wonderland';
  document.getElementById('out').textContent = ok ? 'Welcome, ' + document.getElementById('user').value : 'Invalid login';
});
</script></body></html>`;

let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
let server: http.Server;
let baseUrl: string;
let work: string;

type Result = { code: number | null; stdout: string; stderr: string };

function pacts(args: string[], opts: { stdin?: string; cwd?: string; env?: Record<string, string> } = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd ?? work,
      env: {
        NODE_ENV: "test",
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: tdb.url,
        REDIS_URL: "",
        CHROMIUM_ARGS: JSON.stringify(TEST_CHROMIUM_ARGS),
        ARTIFACTS_DIR: path.join(work, "artifacts"),
        STEP_TIMEOUT_MS: "1500",
        NAVIGATION_TIMEOUT_MS: "5000",
        ...opts.env,
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.stdin ?? "");
  });
}

async function testFile(name: string, content: string): Promise<string> {
  const file = path.join(work, name);
  await writeFile(file, content);
  return file;
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "pacts-cli-"));
  tdb = await createTestDatabase("cli.int.test");
  server = http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(LOGIN_PAGE));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await tdb?.drop();
  await rm(work, { recursive: true, force: true });
});

const loginTest = (expectText: string) => `Test: CLI login
URL: ${baseUrl}/login
Test Steps:
1. Fill "alice" in the Username field
2. Fill "wonderland" in the Password field
3. Click the Log in button
Expected:
Expect text "${expectText}"
`;

describe("pacts run", () => {
  it("answers a repeat from the cache, and --no-cache discovers afresh", async () => {
    const file = await testFile("cache.txt", loginTest("Welcome, alice").replace("Test: CLI login", "Test: CLI cache"));
    const sources = async (args: string[]) => {
      const res = await pacts(["run", file, "--json", ...args]);
      expect(res.code, res.stderr).toBe(0);
      return ZRunReport.parse(JSON.parse(res.stdout)).steps.slice(0, 3).map((s) => s.cacheSource);
    };
    expect(await sources([])).toEqual(["miss", "miss", "miss"]);
    expect(await sources(["--no-cache"])).toEqual(["miss", "miss", "miss"]);
    // A new process has an empty in-process L1 (REDIS_URL is unset here), so the repeat comes from Postgres.
    expect(await sources([])).toEqual(["postgres", "postgres", "postgres"]);
  });

  it("runs a passing .txt test: exit 0, one JSON line on stdout matching the schema, stored under team cli", async () => {
    const file = await testFile("login.txt", loginTest("Welcome, alice"));
    // Run from another cwd with a relative path: the file resolves against cwd, the project against bin/.
    const res = await pacts(["run", path.relative(tmpdir(), file), "--json"], { cwd: tmpdir() });
    expect(res.stderr).not.toMatch(/"level":[3-9]0/); // no info/debug logs leak at the default level
    expect(res.code, res.stderr).toBe(0);
    const lines = res.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    const report = ZRunReport.parse(JSON.parse(lines[0]!));
    expect(report.status).toBe("PASSED");
    expect(report.runs).toHaveLength(1);
    expect(report.steps.map((s) => [s.text, s.status])).toEqual([
      ['Fill "alice" in the Username field', "PASSED"],
      ['Fill "wonderland" in the Password field', "PASSED"],
      ["Click the Log in button", "PASSED"],
      ['Expect text "Welcome, alice"', "PASSED"],
    ]);
    // Element steps carry a strategy, selector and cache source; the page assertion has none.
    for (const s of report.steps.slice(0, 3)) {
      expect(s.strategy).toBeTruthy();
      expect(s.selector).toBeTruthy();
      expect(s.cacheSource).not.toBeNull();
    }
    expect(report.steps[3]!.cacheSource).toBeNull();

    const team = await tdb.db.team.findUniqueOrThrow({ where: { slug: "cli" } });
    const test = await tdb.db.test.findUniqueOrThrow({ where: { teamId_name: { teamId: team.id, name: "CLI login" } } });
    expect(test.startUrl).toBe(`${baseUrl}/login`);
    const run = await tdb.db.run.findUniqueOrThrow({ where: { id: report.runs![0]!.id } });
    expect(run).toMatchObject({ teamId: team.id, testId: test.id, trigger: "CLI", status: "PASSED" });
  });

  it("exits 1 on a failing test, updates the same test by name, and prints the failure in human output", async () => {
    const file = await testFile("login-fail.txt", loginTest("Welcome, bob"));
    const res = await pacts(["run", file]);
    expect(res.code, res.stderr).toBe(1);
    expect(res.stdout).toMatch(/✗ 4 +Expect text "Welcome, bob"/);
    expect(res.stdout).toMatch(/^FAILED: 0\/1 run\(s\) passed/m);
    const tests = await tdb.db.test.findMany({ where: { name: "CLI login" } });
    expect(tests).toHaveLength(1);
    expect(tests[0]!.source).toContain("Welcome, bob");
  });

  it("--junit writes the result as JUnit XML next to the exit code CI acts on; an unwritable path fails the command", async () => {
    const file = await testFile("login-junit.txt", loginTest("Welcome, bob"));
    const out = path.join(work, "junit.xml"); // relative paths are resolved against the working directory
    const res = await pacts(["run", file, "--junit", "junit.xml"]);
    expect(res.code, res.stderr).toBe(1);
    const xml = await readFile(out, "utf8");
    expect(xml).toMatch(/<testsuite name="CLI login"[^>]* tests="4" failures="1"/);
    expect(xml).toMatch(/<testcase classname="CLI login" name="4\. Expect text &quot;Welcome, bob&quot;" time="[\d.]+">\s*<failure message="Expected text &quot;Welcome, bob&quot;/);

    const passing = await testFile("login-junit-ok.txt", loginTest("Welcome, alice"));
    const bad = await pacts(["run", passing, "--junit", path.join(work, "no-such-dir", "junit.xml")]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/cannot write the JUnit report to .*junit\.xml: ENOENT/);
    expect(bad.stdout).toMatch(/^PASSED: 1\/1 run\(s\) passed/m);
  });

  it("runs one run per data row of a YAML spec, honours --url, and fails the command when one row fails", async () => {
    const file = await testFile(
      "rows.yaml",
      `name: CLI rows
url: http://127.0.0.1:1/unused
steps:
  - Fill "{{user}}" in the Username field
  - Fill "{{password}}" in the Password field
  - Click the Log in button
  - Expect text "Welcome, {{user}}"
data:
  - { user: alice, password: wonderland }
  - { user: mallory, password: guess }
`,
    );
    const res = await pacts(["run", file, "--url", `${baseUrl}/login`, "--json"]);
    expect(res.code, res.stderr).toBe(1);
    const report = ZRunReport.parse(JSON.parse(res.stdout));
    expect(report.runs!.map((r) => [r.dataRow.user, r.status])).toEqual([
      ["alice", "PASSED"],
      ["mallory", "FAILED"],
    ]);
    expect(report.status).toBe("FAILED");
    expect(report.steps.filter((s) => s.run === 1 && s.status === "FAILED")).toHaveLength(1);
  });

  it("exits 1 with the launcher's reason when Chromium cannot start, and leaves no run behind", async () => {
    const file = await testFile("login-nochromium.txt", loginTest("Welcome, alice").replace("Test: CLI login", "Test: CLI no chromium"));
    const res = await pacts(["run", file, "--json"], { env: { CHROMIUM_PATH: path.join(work, "no-such-chromium") } });
    expect(res.code, res.stderr).toBe(1);
    expect(JSON.parse(res.stdout)).toMatchObject({ status: "ERROR", error: expect.stringMatching(/no-such-chromium/) });
    const test = await tdb.db.test.findFirst({ where: { name: "CLI no chromium" }, select: { id: true } });
    expect(await tdb.db.run.count({ where: { testId: test?.id ?? "none" } })).toBe(0);
  });

  it("exits 2 on a parse error with the line number on stderr and nothing on stdout", async () => {
    const file = await testFile("broken.txt", `Test: broken\nURL: ${baseUrl}/\nTest Steps:\n1. Frobnicate the widget\n`);
    const res = await pacts(["run", file, "--json"]);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe("");
    expect(res.stderr).toContain("broken.txt:4:");
    expect(res.stderr).toMatch(/Frobnicate/);
    expect(await tdb.db.test.count({ where: { name: "broken" } })).toBe(0);
  });

  it("exits 2 with usage on stderr for an unknown flag or command", async () => {
    const flag = await pacts(["run", "x.txt", "--frob"]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/Usage:/);
    const cmd = await pacts(["launch"]);
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toMatch(/unknown command "launch"/);
  });
});

describe("pacts score", () => {
  it("answers each stdin line with one index", async () => {
    const user = { tag: "input", name: "username", label: "Username", type: "text", x: 10, y: 10 };
    const pass = { tag: "input", name: "password", label: "Password", type: "password", x: 10, y: 60 };
    const input = [
      JSON.stringify({ target: user, candidates: [pass, { ...user, id: "input-339" }] }),
      JSON.stringify({ target: pass, candidates: [pass, user] }),
    ].join("\n");
    const res = await pacts(["score"], { stdin: `${input}\n` });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toBe("1\n0\n");
  });
});
