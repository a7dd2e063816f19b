#!/usr/bin/env node
// Sums passed/failed across the runners' own JSON reports (vitest's jest-style JSON, Playwright's JSON) and
// prints the closing line `N passed, N failed`. Input: the stages file test.sh writes, one stage per line:
// name<TAB>exit code (or "not-run")<TAB>report path or "-"<TAB>seconds.
// A stage without a report counts 1 failure if it failed; a report stage that left no report counts 1 failure.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

/** @typedef {{ name: string; exitCode: number | null; report: string | null; seconds: number }} Stage */
/** @typedef {{ passed: number; failed: number; skipped: number; note?: string }} StageResult */

/** @param {string} text @returns {Stage[]} */
export function parseStages(text) {
  return text
    .split("\n")
    .filter((l) => l.trim())
    .map((line) => {
      const [name = "?", code = "", report = "-", seconds = "0"] = line.split("\t");
      const exitCode = /^-?\d+$/.test(code) ? Number(code) : null;
      return { name, exitCode, report: report === "-" ? null : report, seconds: Number(seconds) || 0 };
    });
}

/** Vitest's JSON reporter (jest-compatible). A file that failed to load has no failed tests but failed. */
export function countVitest(json) {
  const passed = Number(json.numPassedTests ?? 0);
  let failed = Number(json.numFailedTests ?? 0);
  const skipped = Number(json.numPendingTests ?? 0) + Number(json.numTodoTests ?? 0);
  for (const file of json.testResults ?? []) {
    const fileFailedTests = (file.assertionResults ?? []).filter((a) => a.status === "failed").length;
    if (file.status === "failed" && fileFailedTests === 0) failed += 1;
  }
  return { passed, failed, skipped };
}

/** Playwright's JSON reporter: expected = passed, unexpected = failed, flaky passed on retry. */
export function countPlaywright(json) {
  const s = json.stats ?? {};
  const passed = Number(s.expected ?? 0) + Number(s.flaky ?? 0);
  let failed = Number(s.unexpected ?? 0);
  const skipped = Number(s.skipped ?? 0);
  // Global errors (webServer failed, globalSetup threw) run no test at all.
  if (failed === 0 && Array.isArray(json.errors) && json.errors.length > 0) failed = 1;
  return { passed, failed, skipped };
}

/** @param {Stage} stage @param {(p: string) => string | undefined} readReport @returns {StageResult} */
export function summarizeStage(stage, readReport) {
  if (stage.exitCode === null) return { passed: 0, failed: 1, skipped: 0, note: "not run" };
  if (!stage.report) {
    return stage.exitCode === 0 ? { passed: 0, failed: 0, skipped: 0 } : { passed: 0, failed: 1, skipped: 0, note: `exit ${stage.exitCode}` };
  }
  const raw = readReport(stage.report);
  if (raw === undefined) return { passed: 0, failed: 1, skipped: 0, note: `no report (${stage.report}), exit ${stage.exitCode}` };
  let json;
  try {
    json = JSON.parse(raw);
  } catch {
    return { passed: 0, failed: 1, skipped: 0, note: `unreadable report ${stage.report}` };
  }
  const counts = json && typeof json === "object" && "stats" in json ? countPlaywright(json) : countVitest(json);
  // The runner failed but its report shows no failure (e.g. an unhandled error): still a failure.
  if (stage.exitCode !== 0 && counts.failed === 0) return { ...counts, failed: 1, note: `exit ${stage.exitCode}` };
  return counts;
}

/** @param {Stage[]} stages @param {(p: string) => string | undefined} readReport */
export function summarize(stages, readReport) {
  const rows = stages.map((stage) => ({ stage, result: summarizeStage(stage, readReport) }));
  const passed = rows.reduce((n, r) => n + r.result.passed, 0);
  const failed = rows.reduce((n, r) => n + r.result.failed, 0);
  return { rows, passed, failed, line: `${passed} passed, ${failed} failed` };
}

function main() {
  const stagesFile = process.argv[2] ?? "reports/stages.tsv";
  const base = process.cwd();
  const text = fs.existsSync(stagesFile) ? fs.readFileSync(stagesFile, "utf8") : "";
  const stages = parseStages(text);
  if (stages.length === 0) stages.push({ name: "suite", exitCode: 1, report: null, seconds: 0 });
  const readReport = (p) => {
    const full = path.resolve(base, p);
    return fs.existsSync(full) ? fs.readFileSync(full, "utf8") : undefined;
  };
  const { rows, failed, line } = summarize(stages, readReport);
  console.log("\nStage results:");
  for (const { stage, result } of rows) {
    const counts = stage.report ? `${result.passed} passed, ${result.failed} failed${result.skipped ? `, ${result.skipped} skipped` : ""}` : result.failed ? "FAILED" : "ok";
    console.log(`  ${stage.name.padEnd(12)} ${counts}${result.note ? ` (${result.note})` : ""}  [${stage.seconds} s]`);
  }
  console.log(line);
  process.exitCode = failed > 0 ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
