import { Writable, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { main } from "./main";
import { formatHuman } from "./run";
import { exitCodeFor, overallStatus, ZRunReport, type RunReport } from "./run-report";

function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  return { stream, text: () => chunks.join("") };
}

const report: RunReport = {
  version: 1,
  status: "FAILED",
  durationMs: 2345,
  test: { name: "Login", url: "http://127.0.0.1/login" },
  runs: [{ id: "r1", status: "FAILED", verdict: "ASSERTION_FAILED", dataRow: {}, durationMs: 2000, completedSteps: 1, totalSteps: 3 }],
  steps: [
    { run: 0, idx: 0, text: "Click the Log in button", status: "PASSED", strategy: "role-name", selector: "internal:role=button", cacheSource: "postgres", healed: true, verified: true, durationMs: 40 },
    { run: 0, idx: 1, text: 'Expect text "Welcome"', status: "FAILED", strategy: null, selector: null, cacheSource: null, healed: false, verified: null, durationMs: 1500, error: "not found" },
    { run: 0, idx: 2, text: "Go back", status: "SKIPPED", strategy: null, selector: null, cacheSource: null, healed: false, verified: null, durationMs: null },
  ],
};

describe("run report", () => {
  it("validates the published shape and rejects an unknown cache source or version", () => {
    expect(ZRunReport.parse(report)).toEqual(report);
    expect(ZRunReport.safeParse({ ...report, version: 2 }).success).toBe(false);
    expect(ZRunReport.safeParse({ ...report, steps: [{ ...report.steps[0]!, cacheSource: "disk" }] }).success).toBe(false);
  });

  it("is PASSED only when every run passed, else the most severe status; exit code follows", () => {
    expect(overallStatus(["PASSED", "PASSED"])).toBe("PASSED");
    expect(overallStatus(["PASSED", "FAILED"])).toBe("FAILED");
    expect(overallStatus(["FAILED", "ERROR", "BLOCKED"])).toBe("ERROR");
    expect(overallStatus(["PASSED", "BLOCKED"])).toBe("BLOCKED");
    expect(overallStatus([])).toBe("ERROR");
    expect(exitCodeFor("PASSED")).toBe(0);
    for (const s of ["FAILED", "ERROR", "BLOCKED", "CANCELLED"] as const) expect(exitCodeFor(s)).toBe(1);
  });

  it("prints each step with status, strategy, heal marker, cache source and time, then a summary", () => {
    const text = formatHuman(report);
    expect(text).toMatch(/✓ 1 +Click the Log in button +role-name +HEALED +cache:postgres +40 ms/);
    expect(text).toMatch(/✗ 2 +Expect text "Welcome" +1500 ms\n +not found/);
    expect(text).toMatch(/- 3 +Go back/);
    expect(text).toMatch(/^FAILED \(ASSERTION_FAILED\) {2}1\/3 steps/m);
    expect(text.trimEnd().split("\n").at(-1)).toBe("FAILED: 0/1 run(s) passed, 1 heal(s), 2.35 s");
  });
});

describe("main", () => {
  const io = () => {
    const out = sink();
    const err = sink();
    return { out, err, io: { stdin: Readable.from([]), stdout: out.stream, stderr: err.stream, env: {}, cwd: "/", projectDir: "/" } };
  };
  it("exits 2 with usage on stderr for no command, an unknown command, an unknown flag or a missing file", async () => {
    for (const argv of [[], ["frob"], ["run", "a.txt", "--frob"], ["run"], ["run", "a.txt", "b.txt"], ["score", "x"]]) {
      const t = io();
      expect(await main(argv, t.io), argv.join(" ")).toBe(2);
      expect(t.err.text()).toContain("Usage:");
      expect(t.out.text()).toBe("");
    }
  });
  it("prints help on stdout with exit 0", async () => {
    const t = io();
    expect(await main(["help"], t.io)).toBe(0);
    expect(t.out.text()).toMatch(/pacts run <file>/);
  });
  it("exits 2 for an unreadable file before touching any database", async () => {
    const t = io();
    expect(await main(["run", "/nonexistent/x.txt"], t.io)).toBe(2);
    expect(t.err.text()).toMatch(/cannot read \/nonexistent\/x.txt: ENOENT/);
  });
});
