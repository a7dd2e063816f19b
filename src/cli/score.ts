// `pacts score`: the line-oriented entry point to the similarity scorer, for benchmarks on recorded data.
// Each input line is one JSON object {"target": {…}, "candidates": [{…}, …]} (fingerprints as in
// src/domain/fingerprint.ts); for each we print one line: the index of the chosen candidate, or -1 for "no
// confident match". A line that is not valid JSON or does not match the schema also prints -1 (so output
// line N always answers input line N) and reports the line number and the problem on stderr. Lines that
// are empty or whitespace only are skipped without output, as JSON Lines tools usually do. Never throws on
// bad input.
import type { Readable, Writable } from "node:stream";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { z } from "zod";
import { ZFingerprint } from "@/domain/fingerprint";
import { chooseCandidate, type ChooseOptions } from "@/server/heal/fingerprint/similarity";

export const ZScoreLine = z.object({
  target: ZFingerprint,
  candidates: z.array(ZFingerprint),
});

export type ScoreSummary = { lines: number; chosen: number; noMatch: number; invalid: number };

export type RunScoreOptions = ChooseOptions & {
  /** Where per-line errors go; defaults to process.stderr. */
  errors?: Writable;
};

async function writeLine(out: Writable, line: string): Promise<void> {
  // Respect back-pressure so a slow consumer (a pipe into a benchmark) never makes us buffer everything.
  if (!out.write(`${line}\n`)) await once(out, "drain");
}

function describeError(err: unknown): string {
  if (err instanceof z.ZodError) {
    return err.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
  }
  return err instanceof Error ? err.message : String(err);
}

export async function runScore(input: Readable, output: Writable, opts: RunScoreOptions = {}): Promise<ScoreSummary> {
  const { errors = process.stderr, ...choose } = opts;
  const summary: ScoreSummary = { lines: 0, chosen: 0, noMatch: 0, invalid: 0 };
  const rl = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  for await (const raw of rl) {
    lineNo++;
    if (raw.trim() === "") continue;
    summary.lines++;
    let index = -1;
    try {
      const parsed = ZScoreLine.parse(JSON.parse(raw));
      index = chooseCandidate(parsed.target, parsed.candidates, choose).index;
      if (index >= 0) summary.chosen++;
      else summary.noMatch++;
    } catch (err) {
      summary.invalid++;
      await writeLine(errors, `pacts score: line ${lineNo}: ${describeError(err)}`);
    }
    await writeLine(output, String(index));
  }
  return summary;
}
