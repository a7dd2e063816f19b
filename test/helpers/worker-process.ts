// Real worker processes for integration tests: `node --import tsx worker/index.ts` (no tsx wrapper process, so
// the pid is the worker's own and its id ends in it), each in its own process group so a SIGKILL takes its
// Chromium with it, output captured for assertions and failure messages.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { TEST_CHROMIUM_ARGS } from "./chromium";

const ROOT = path.resolve(import.meta.dirname, "../..");

export type WorkerProcess = {
  child: ChildProcess;
  pid: number;
  output(): string;
  /** Resolves once the worker logged "worker started" (rejects if it exits first or after timeoutMs). */
  started(timeoutMs?: number): Promise<void>;
  /** SIGKILL to the whole group (worker and its Chromium); resolves when the worker has exited. */
  kill(): Promise<void>;
  /** SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

export function spawnWorker(env: Record<string, string>): WorkerProcess {
  let out = "";
  const child = spawn(process.execPath, ["--import", "tsx", "worker/index.ts"], {
    cwd: ROOT,
    env: { ...process.env, CHROMIUM_ARGS: JSON.stringify(TEST_CHROMIUM_ARGS), LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const signalGroup = (sig: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid!, sig);
    } catch {
      child.kill(sig);
    }
  };
  return {
    child,
    pid: child.pid!,
    output: () => out,
    exited,
    async started(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (!out.includes("worker started")) {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`worker exited before starting:\n${out}`);
        if (Date.now() > deadline) throw new Error(`worker did not start within ${timeoutMs} ms:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async kill() {
      signalGroup("SIGKILL");
      await exited;
    },
    async stop() {
      signalGroup("SIGTERM");
      const t = setTimeout(() => signalGroup("SIGKILL"), 10_000);
      const { code } = await exited;
      clearTimeout(t);
      return code;
    },
  };
}

/** The worker id's pid part (`<host>-<pid>-<hex>`, worker/loop.ts). */
export function pidOfWorkerId(workerId: string): number {
  const m = /-(\d+)-[0-9a-f]{6}$/.exec(workerId);
  if (!m) throw new Error(`not a worker id: ${workerId}`);
  return Number(m[1]);
}
