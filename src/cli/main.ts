// The `pacts` command line (started by bin/pacts.mjs through tsx). Exit codes: 0 passed, 1 failed / error /
// blocked, 2 usage or parse error, 130 interrupted. stdout carries only results (one JSON line with --json);
// logs and diagnostics go to stderr.
import { parseArgs } from "node:util";
import type { Readable } from "node:stream";
import type { CliIo } from "./run";

// Loaded on demand: `run` pulls in Prisma, Playwright and the engine, which `score` and `help` do not need.
const EXIT_USAGE = 2;

export const USAGE = `Usage:
  pacts run <file> [--url U] [--no-cache] [--headed] [--json] [--junit out.xml]
      Run a test file (.txt, .json, .yaml, .yml) through the PACTS engine and store the run under the local
      "cli" team. --url overrides the file's URL; --headed shows the browser; --json prints one JSON line;
      --junit also writes the result as JUnit XML (a suite per run, a case per step) for CI test reports.
      Database: DATABASE_URL, else the project's .env, else the embedded PostgreSQL (started if needed).
  pacts score
      Read JSON lines {"target": fingerprint, "candidates": [fingerprint, …]} on stdin; print the chosen
      candidate index (or -1) per line.
  pacts metrics [--cache|--heal|--runs] [--json]
      Print cache, healing and run metrics for all teams (--json: the same summary as /api/metrics/summary).
  pacts token create --team <slug|name> [--name N]
      Create an API token for a team and print it once on stdout (store it as PACTS_TOKEN).
  pacts trigger --test <id|name> [--wait] [--timeout S]
      Queue a run on the server at PACTS_URL with the team token PACTS_TOKEN; --wait follows it to the end
      and exits non-zero unless it passed. Usable as one CI step.
  pacts help
      Show this help.

Exit codes: 0 passed, 1 failed/error/blocked, 2 usage or parse error, 130 interrupted.
`;

export type MainIo = CliIo & { stdin: Readable };

async function usageError(io: MainIo, message: string): Promise<number> {
  await new Promise<void>((r) => io.stderr.write(`pacts: ${message}\n\n${USAGE}`, () => r()));
  return EXIT_USAGE;
}

export async function main(argv: string[], io: MainIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
      return usageError(io, "missing command");
    case "help":
    case "--help":
    case "-h":
      io.stdout.write(USAGE);
      return 0;
    case "run": {
      let parsed;
      try {
        parsed = parseArgs({
          args: rest,
          allowPositionals: true,
          strict: true,
          options: {
            url: { type: "string" },
            "no-cache": { type: "boolean", default: false },
            headed: { type: "boolean", default: false },
            json: { type: "boolean", default: false },
            junit: { type: "string" },
          },
        });
      } catch (err) {
        return usageError(io, (err as Error).message);
      }
      if (parsed.positionals.length !== 1) {
        return usageError(io, parsed.positionals.length === 0 ? "run needs a test file" : "run takes exactly one test file");
      }
      const { values } = parsed;
      const { runCommand } = await import("./run");
      return runCommand(
        {
          file: parsed.positionals[0]!,
          ...(values.url !== undefined ? { url: values.url } : {}),
          noCache: values["no-cache"],
          headed: values.headed,
          json: values.json,
          ...(values.junit !== undefined ? { junit: values.junit } : {}),
        },
        io,
      );
    }
    case "score": {
      if (rest.length > 0) return usageError(io, `score takes no arguments (got ${rest.join(" ")})`);
      const { runScore } = await import("./score");
      const summary = await runScore(io.stdin, io.stdout, { errors: io.stderr });
      return summary.invalid > 0 ? EXIT_USAGE : 0;
    }
    case "metrics": {
      const { metricsCommand } = await import("./metrics");
      return metricsCommand(rest, io);
    }
    case "token": {
      const { tokenCommand } = await import("./token");
      return tokenCommand(rest, io);
    }
    case "trigger": {
      const { triggerCommand } = await import("./trigger");
      return triggerCommand(rest, io);
    }
    default:
      return usageError(io, `unknown command "${command}"`);
  }
}
