// Child-process supervision for scripts/start.ts. A "critical" service (the web app) that exits stops everything,
// as before; a "restart" service (the worker) that crashes is started again after an exponential backoff, and the
// others keep running. A crash loop (maxRestarts restarts within windowMs) is reported once and the service is left
// stopped, so a broken worker never spins the CPU; the dashboard then shows that no worker is heartbeating.
import { spawn, type ChildProcess } from "node:child_process";

export type RestartPolicy = {
  /** Delay before the first restart; doubled (factor) for each further crash, up to maxDelayMs. */
  initialDelayMs: number;
  maxDelayMs: number;
  factor: number;
  /** More than this many restarts within windowMs = a crash loop: reported and given up. */
  maxRestarts: number;
  windowMs: number;
  /** A process that stayed up this long resets the backoff to initialDelayMs. */
  stableAfterMs: number;
};

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialDelayMs: 1000,
  maxDelayMs: 30_000,
  factor: 2,
  maxRestarts: 5,
  windowMs: 5 * 60_000,
  stableAfterMs: 60_000,
};

export type ServiceSpec = {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  stdio?: "inherit" | "pipe" | "ignore";
  /** critical: its exit stops everything (onFatal); restart: restarted with backoff, crash loops given up. */
  mode: "critical" | "restart";
  policy?: Partial<RestartPolicy>;
};

export type SupervisorEvent =
  | { type: "started"; name: string; pid: number | undefined; restarts: number }
  | { type: "exited"; name: string; code: number | null; signal: NodeJS.Signals | null; uptimeMs: number }
  | { type: "restarting"; name: string; delayMs: number; restarts: number }
  | { type: "gave-up"; name: string; restarts: number; windowMs: number };

export type SupervisorOptions = {
  log: (msg: string) => void;
  /** A critical service exited on its own (not during stop()). */
  onFatal: (name: string, code: number | null, signal: NodeJS.Signals | null) => void;
  onEvent?: (e: SupervisorEvent) => void;
};

type ServiceState = {
  spec: ServiceSpec;
  policy: RestartPolicy;
  child?: ChildProcess;
  exited?: Promise<void>;
  startedAt: number;
  restartTimes: number[];
  nextDelayMs: number;
  timer?: NodeJS.Timeout;
  status: "running" | "backoff" | "gave-up" | "stopped";
};

export function backoffDelay(policy: RestartPolicy, previousDelayMs: number | undefined): number {
  if (previousDelayMs === undefined) return policy.initialDelayMs;
  return Math.min(policy.maxDelayMs, Math.round(previousDelayMs * policy.factor));
}

export class Supervisor {
  private readonly services = new Map<string, ServiceState>();
  private stopping = false;

  constructor(private readonly o: SupervisorOptions) {}

  add(spec: ServiceSpec): void {
    if (this.services.has(spec.name)) throw new Error(`service ${spec.name} is already supervised`);
    const policy = { ...DEFAULT_RESTART_POLICY, ...spec.policy };
    const s: ServiceState = { spec, policy, startedAt: 0, restartTimes: [], nextDelayMs: policy.initialDelayMs, status: "stopped" };
    this.services.set(spec.name, s);
    this.launch(s);
  }

  /** The running child of a service (tests: its pid), undefined while in backoff or given up. */
  child(name: string): ChildProcess | undefined {
    return this.services.get(name)?.child;
  }

  status(name: string): ServiceState["status"] | undefined {
    return this.services.get(name)?.status;
  }

  restarts(name: string): number {
    return this.services.get(name)?.restartTimes.length ?? 0;
  }

  private emit(e: SupervisorEvent): void {
    this.o.onEvent?.(e);
  }

  private launch(s: ServiceState): void {
    const { spec } = s;
    const child = spawn(spec.command, spec.args, { cwd: spec.cwd, env: spec.env ?? process.env, stdio: spec.stdio ?? "inherit", detached: true });
    s.child = child;
    s.startedAt = Date.now();
    s.status = "running";
    s.exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    // A spawn error (command not found) is followed by "exit" on recent Node; "error" alone must not crash us.
    child.once("error", (err) => this.o.log(`${spec.name} could not be started: ${err.message}`));
    this.emit({ type: "started", name: spec.name, pid: child.pid, restarts: s.restartTimes.length });
    child.once("exit", (code, signal) => this.onExit(s, child, code, signal));
  }

  private onExit(s: ServiceState, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (s.child !== child) return;
    s.child = undefined;
    const uptimeMs = Date.now() - s.startedAt;
    this.emit({ type: "exited", name: s.spec.name, code, signal, uptimeMs });
    if (this.stopping) {
      s.status = "stopped";
      return;
    }
    const how = signal ?? `code ${code}`;
    if (s.spec.mode === "critical") {
      s.status = "stopped";
      this.o.onFatal(s.spec.name, code, signal);
      return;
    }
    const now = Date.now();
    if (uptimeMs >= s.policy.stableAfterMs) s.nextDelayMs = s.policy.initialDelayMs;
    s.restartTimes = s.restartTimes.filter((t) => now - t < s.policy.windowMs);
    if (s.restartTimes.length >= s.policy.maxRestarts) {
      s.status = "gave-up";
      this.o.log(
        `${s.spec.name} exited (${how}) after ${s.restartTimes.length} restarts within ${Math.round(s.policy.windowMs / 1000)} s: ` +
          `a crash loop, so it is not restarted again. The other services keep running; fix the cause (see the output above) and restart.`,
      );
      this.emit({ type: "gave-up", name: s.spec.name, restarts: s.restartTimes.length, windowMs: s.policy.windowMs });
      return;
    }
    const delayMs = s.nextDelayMs;
    s.nextDelayMs = backoffDelay(s.policy, delayMs);
    s.restartTimes.push(now);
    s.status = "backoff";
    this.o.log(`${s.spec.name} exited unexpectedly (${how}); restarting in ${(delayMs / 1000).toFixed(1)} s (restart ${s.restartTimes.length} of at most ${s.policy.maxRestarts} per ${Math.round(s.policy.windowMs / 1000)} s).`);
    this.emit({ type: "restarting", name: s.spec.name, delayMs, restarts: s.restartTimes.length });
    s.timer = setTimeout(() => {
      s.timer = undefined;
      if (!this.stopping) this.launch(s);
    }, delayMs);
  }

  /** Stops every service: SIGTERM to each process group, SIGKILL after graceMs. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    const running: ServiceState[] = [];
    for (const s of this.services.values()) {
      clearTimeout(s.timer);
      if (s.child) running.push(s);
      else s.status = "stopped";
    }
    for (const s of running) signalGroup(s.child!, "SIGTERM");
    const all = Promise.all(running.map((s) => s.exited));
    const timedOut = await Promise.race([all.then(() => false), sleep(graceMs).then(() => true)]);
    if (timedOut) {
      for (const s of running) if (s.child) signalGroup(s.child, "SIGKILL");
      await Promise.race([all, sleep(500)]);
    }
  }

  /** Second Ctrl-C: no waiting. */
  killAll(): void {
    this.stopping = true;
    for (const s of this.services.values()) {
      clearTimeout(s.timer);
      if (s.child) signalGroup(s.child, "SIGKILL");
    }
  }
}

export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (!child.pid || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
