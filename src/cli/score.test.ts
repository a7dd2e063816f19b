import { PassThrough, Readable, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { runScore } from "./score";

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

const user = { tag: "input", name: "username", label: "Username", type: "text", x: 10, y: 10 };
const pass = { tag: "input", name: "password", label: "Password", type: "password", x: 10, y: 60 };

describe("runScore", () => {
  it("prints one index per input line, -1 for no match and for invalid lines, errors with line numbers", async () => {
    const lines = [
      JSON.stringify({ target: user, candidates: [pass, { ...user, id: "input-339" }] }), // 1 → 1
      JSON.stringify({ target: user, candidates: [pass] }), // 2 → -1 (gone, look-alike remains)
      "{not json", // 3 → -1 + error
      "", // 4 → skipped
      JSON.stringify({ target: user }), // 5 → -1 + error (no candidates array)
      JSON.stringify({ target: user, candidates: [{ tag: 5 }] }), // 6 → -1 + error (bad field type)
      JSON.stringify({ target: pass, candidates: [user, pass] }), // 7 → 1
      JSON.stringify({ target: user, candidates: [] }), // 8 → -1
    ];
    const out = sink();
    const err = sink();
    const summary = await runScore(Readable.from([lines.join("\n") + "\n"]), out.stream, { errors: err.stream });
    expect(out.text()).toBe(["1", "-1", "-1", "-1", "-1", "1", "-1"].join("\n") + "\n");
    expect(summary).toEqual({ lines: 7, chosen: 2, noMatch: 2, invalid: 3 });
    const errLines = err.text().trim().split("\n");
    expect(errLines).toHaveLength(3);
    expect(errLines[0]).toMatch(/^pacts score: line 3: /);
    expect(errLines[1]).toMatch(/^pacts score: line 5: candidates/);
    expect(errLines[2]).toMatch(/^pacts score: line 6: candidates\.0\.tag/);
  });

  it("handles lines split across chunks and CRLF line ends", async () => {
    const line = JSON.stringify({ target: pass, candidates: [user, pass] });
    const input = new PassThrough();
    const out = sink();
    const done = runScore(input, out.stream, { errors: sink().stream });
    input.write(line.slice(0, 10));
    input.write(line.slice(10) + "\r\n" + line.slice(0, 5));
    input.end(line.slice(5));
    await done;
    expect(out.text()).toBe("1\n1\n");
  });

  it("passes chooser options through", async () => {
    const line = JSON.stringify({ target: pass, candidates: [user, pass] });
    const out = sink();
    await runScore(Readable.from([line]), out.stream, { threshold: 1.01, errors: sink().stream });
    expect(out.text()).toBe("-1\n");
  });
});
