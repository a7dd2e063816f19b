// `pacts run --junit out.xml`: the run report as JUnit XML, the format CI systems (GitHub Actions reporters,
// GitLab, Jenkins, Azure) show as test results. One <testsuite> per run (per data row), one <testcase> per step
// with its time; a failed step is a <failure>, steps the run never reached are <skipped/>, and a run that ended
// badly outside any step (navigation error, challenge page, crash) gets one more case with an <error>. Heals
// are listed in the case's system-out: the selector the step used and whether the heal was verified.
// Built with junit-report-builder, which does the XML escaping.
import { writeFile } from "node:fs/promises";
import junit from "junit-report-builder";
import type { RunReport, StepReport } from "./run-report";

const seconds = (ms: number | null | undefined) => (ms ?? 0) / 1000;

function healNote(s: StepReport): string | undefined {
  if (!s.healed) return undefined;
  return `Healed${s.verified ? "" : " (unverified)"} with ${s.strategy ?? "an unknown strategy"}: ${s.selector ?? "(no selector)"}`;
}

export function junitXml(report: RunReport): string {
  const builder = junit.newBuilder().name("pacts");
  const name = report.test?.name ?? "pacts run";
  const runs = report.runs ?? [];
  runs.forEach((run, i) => {
    const row = Object.keys(run.dataRow).length > 0 ? ` ${JSON.stringify(run.dataRow)}` : "";
    const suite = builder
      .testSuite()
      .name(runs.length > 1 ? `${name} [row ${i + 1}]${row}` : name)
      .time(seconds(run.durationMs))
      .property("run", run.id)
      .property("status", run.status);
    if (run.verdict) suite.property("verdict", run.verdict);
    const steps = report.steps.filter((s) => s.run === i);
    for (const s of steps) {
      const tc = suite.testCase().className(name).name(`${s.idx + 1}. ${s.text}`).time(seconds(s.durationMs));
      if (s.status === "FAILED") tc.failure(s.error ?? "failed", run.verdict ?? "FAILED");
      else if (s.status !== "PASSED") tc.skipped();
      const note = healNote(s);
      if (note) tc.standardOutput(note);
    }
    // A run that did not pass but has no failed step failed outside the steps: say so as an error case.
    if (run.status !== "PASSED" && !steps.some((s) => s.status === "FAILED")) {
      suite.testCase().className(name).name("run").error(run.error ?? `The run ended ${run.status}`, run.verdict ?? run.status);
    }
  });
  if (runs.length === 0 || report.error) {
    // The command failed around the runs (database unreachable, browser did not start): one error case.
    builder.testSuite().name(name).testCase().className(name).name("pacts run").error(report.error ?? `The command ended ${report.status}`, report.status);
  }
  return builder.build();
}

/** Writes the report; a message for stderr when the file cannot be written. */
export async function writeJunit(file: string, report: RunReport): Promise<string | undefined> {
  try {
    await writeFile(file, junitXml(report));
    return undefined;
  } catch (err) {
    return `cannot write the JUnit report to ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`;
  }
}
