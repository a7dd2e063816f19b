// The JUnit XML of a run report: counts CI systems read, escaping, heals in system-out, runs that failed
// outside any step.
import { describe, expect, it } from "vitest";
import { junitXml } from "./junit";
import type { RunReport, StepReport } from "./run-report";

const step = (run: number, idx: number, text: string, status: StepReport["status"], extra: Partial<StepReport> = {}): StepReport => ({
  run, idx, text, status, strategy: null, selector: null, cacheSource: null, healed: false, verified: null, durationMs: 120, ...extra,
});

const report: RunReport = {
  version: 1,
  status: "FAILED",
  durationMs: 4200,
  test: { name: `Checkout <"fast"> & cheap`, url: "http://shop.test/" },
  runs: [
    { id: "run-a", status: "PASSED", verdict: "SELECTOR_DRIFT_HEALED", dataRow: { user: "alice" }, durationMs: 1500, completedSteps: 2, totalSteps: 2 },
    { id: "run-b", status: "FAILED", verdict: "ASSERTION_FAILED", dataRow: { user: "mallory" }, durationMs: 2500, completedSteps: 1, totalSteps: 3, error: "Step 2 failed" },
  ],
  steps: [
    step(0, 0, `Fill "alice" in the Username field`, "PASSED", { strategy: "placeholder", selector: `internal:attr=[placeholder="Username"i]`, healed: true, verified: true }),
    step(0, 1, "Click Log in", "PASSED"),
    step(1, 0, `Fill "mallory" in the Username field`, "PASSED"),
    step(1, 1, `Expect text "Welcome, mallory"`, "FAILED", { error: `Expected text "Welcome, mallory" to be visible <within 5000 ms>` }),
    step(1, 2, "Click Log out", "SKIPPED", { durationMs: null }),
  ],
};

// An attribute of every <tag …> in document order (values may hold a raw ">", which XML allows).
const attr = (xml: string, tag: string, name: string) =>
  [...xml.matchAll(new RegExp(`<${tag}(?=[\\s/>])((?:\\s+[\\w:-]+="[^"]*")*)`, "g"))].map((m) => new RegExp(`\\s${name}="([^"]*)"`).exec(m[1]!)?.[1]);

describe("junitXml", () => {
  it("writes a suite per run and a case per step, with failures, skips, times and counts", () => {
    const xml = junitXml(report);
    expect(xml.startsWith("<?xml")).toBe(true);
    expect(attr(xml, "testsuite", "tests")).toEqual(["2", "3"]);
    expect(attr(xml, "testsuite", "failures")).toEqual(["0", "1"]);
    expect(attr(xml, "testsuite", "skipped")).toEqual(["0", "1"]);
    expect(attr(xml, "testsuite", "time")).toEqual(["1.5", "2.5"]);
    expect(attr(xml, "testcase", "name")).toEqual([
      "1. Fill &quot;alice&quot; in the Username field",
      "2. Click Log in",
      "1. Fill &quot;mallory&quot; in the Username field",
      "2. Expect text &quot;Welcome, mallory&quot;",
      "3. Click Log out",
    ]);
    // Names and messages are escaped, never raw markup.
    expect(attr(xml, "testsuite", "name")[0]).toBe(`Checkout &lt;&quot;fast&quot;> &amp; cheap [row 1] {&quot;user&quot;:&quot;alice&quot;}`);
    expect(attr(xml, "failure", "message")).toEqual(["Expected text &quot;Welcome, mallory&quot; to be visible &lt;within 5000 ms>"]);
    expect(attr(xml, "failure", "type")).toEqual(["ASSERTION_FAILED"]);
    expect(xml).toMatch(/<system-out>\s*(<!\[CDATA\[)?Healed with placeholder: internal:attr=\[placeholder=(&quot;|")Username(&quot;|")i\]/);
  });

  it("reports a run that failed outside its steps, and a command that failed before any run, as errors", () => {
    const blocked: RunReport = {
      ...report,
      status: "BLOCKED",
      runs: [{ id: "run-c", status: "BLOCKED", verdict: "BLOCKED", dataRow: {}, durationMs: 900, completedSteps: 0, totalSteps: 1, error: "Blocked by a CAPTCHA" }],
      steps: [step(0, 0, "Click Log in", "SKIPPED")],
    };
    const xml = junitXml(blocked);
    expect(attr(xml, "testsuite", "errors")).toEqual(["1"]);
    expect(attr(xml, "error", "message")).toEqual(["Blocked by a CAPTCHA"]);

    const broken = junitXml({ version: 1, status: "ERROR", durationMs: 10, test: { name: "t", url: "http://x.test/" }, runs: [], steps: [], error: "database unreachable" });
    expect(attr(broken, "error", "message")).toEqual(["database unreachable"]);
  });
});
