#!/usr/bin/env node
// `pacts` entry point. Runs the TypeScript CLI (src/cli/main.ts) through tsx's loader with the repo's
// tsconfig, so it works right after `npm ci` with no build step, from any working directory.
// This is an entry point: it reads the environment, loads the project's .env (variables already set win),
// and routes logs to stderr before any server module creates the shared logger.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import { register } from "tsx/esm/api";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const envFile = path.join(ROOT, ".env");
if (existsSync(envFile)) process.loadEnvFile(envFile);
// The CLI is quiet by default; its results go to stdout, so logs must never.
process.env.LOG_LEVEL ||= "warn";
// Same data folder (artifacts, embedded cluster state) as the product, whatever the cwd.
process.env.PACTS_DATA_DIR ||= path.join(ROOT, ".data");

// src/server/logger.ts reuses a logger already on globalThis; this one writes synchronously to fd 2.
globalThis.pactsLogger = pino(
  { level: process.env.LOG_LEVEL, base: { svc: "pacts-cli" } },
  pino.destination({ dest: 2, sync: true }),
);

register({ tsconfig: path.join(ROOT, "tsconfig.json") });

const controller = new AbortController();
let signals = 0;
for (const [sig, code] of [["SIGINT", 130], ["SIGTERM", 143]]) {
  process.on(sig, () => {
    // First signal: stop the run cleanly (the run is cancelled, browser/database closed). Second: leave now.
    if (++signals > 1) process.exit(code);
    process.stderr.write(`\n[pacts] ${sig}: stopping…\n`);
    controller.abort();
  });
}

const { main } = await import("../src/cli/main.ts");
let code;
try {
  code = await main(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    projectDir: ROOT,
    signal: controller.signal,
  });
} catch (err) {
  process.stderr.write(`pacts: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  code = 1;
}
// Everything is closed by now; exit explicitly so a stray handle (a pool timer, a keep-alive) cannot hang the shell.
process.exit(code);
