import { describe, expect, it } from "vitest";
import { parseStages, summarize } from "./summarize-reports.mjs";

const vitestReport = (passed: number, failed: number, extra: object[] = []) =>
  JSON.stringify({
    numPassedTests: passed,
    numFailedTests: failed,
    numPendingTests: 0,
    testResults: [{ status: failed ? "failed" : "passed", assertionResults: Array(failed).fill({ status: "failed" }) }, ...extra],
  });

describe("summarize", () => {
  it("sums vitest and playwright reports into the closing line", () => {
    const stages = parseStages("typecheck\t0\t-\t3\nunit\t0\tu.json\t1\nintegration\t1\ti.json\t9\ne2e\t0\te.json\t20\n");
    const reports: Record<string, string> = {
      "u.json": vitestReport(10, 0),
      "i.json": vitestReport(4, 2),
      "e.json": JSON.stringify({ stats: { expected: 2, unexpected: 0, flaky: 1, skipped: 0 }, errors: [] }),
    };
    expect(summarize(stages, (p) => reports[p]).line).toBe("17 passed, 2 failed");
  });

  it("counts a crash before any report, a failed typecheck/build and a stage not run as one failure each", () => {
    const stages = parseStages("typecheck\t2\t-\t3\nunit\t1\tmissing.json\t1\nbuild\t1\t-\t9\ne2e\tnot-run\te.json\t0\n");
    expect(summarize(stages, () => undefined).line).toBe("0 passed, 4 failed");
  });

  it("counts a test file that failed to load, and a non-zero exit with a clean report", () => {
    const loadError = { status: "failed", assertionResults: [] };
    const stages = parseStages("unit\t1\tu.json\t1\nintegration\t1\ti.json\t1\n");
    const reports: Record<string, string> = { "u.json": vitestReport(3, 0, [loadError]), "i.json": vitestReport(5, 0) };
    expect(summarize(stages, (p) => reports[p]).line).toBe("8 passed, 2 failed");
  });

  it("counts a Playwright global error (web server did not start) as a failure", () => {
    const stages = parseStages("e2e\t1\te.json\t5\n");
    const report = JSON.stringify({ stats: { expected: 0, unexpected: 0, flaky: 0, skipped: 2 }, errors: [{ message: "webServer" }] });
    expect(summarize(stages, () => report).line).toBe("0 passed, 1 failed");
  });
});
