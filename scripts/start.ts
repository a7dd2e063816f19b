// The README's first command (via scripts/start.sh): database (DATABASE_URL or embedded Postgres), migrations,
// secrets, seed, `next build` when the sources changed, then `next start` and one worker in the foreground.
// Ctrl-C stops web, worker and (if this process started it) the embedded Postgres. A crashed worker is restarted
// with backoff while the web app and database stay up (scripts/supervisor.ts); the web app exiting stops everything.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type RestartPolicy, Supervisor, signalGroup } from "./supervisor";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SHUTDOWN_GRACE_MS = 3000;

// ---------------------------------------------------------------------------------------------------------------
// Pure-ish helpers (tested in scripts/start.test.ts)

/** Listening on the port ourselves is the only reliable "is it free" check; all interfaces, like `next start`. */
export function checkPortFree(port: number, host?: string): Promise<{ free: true } | { free: false; reason: string }> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", (err: NodeJS.ErrnoException) => resolve({ free: false, reason: err.code ?? err.message }));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve({ free: true })));
  });
}

export function parsePort(raw: string | undefined, fallback = 3000): number {
  if (raw === undefined || raw.trim() === "") return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PORT must be a port number (1-65535), got "${raw}"`);
  return port;
}

/** Files whose content decides whether the production build is stale. Tests and docs do not count. */
export async function listBuildInputs(root: string): Promise<string[]> {
  const files: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(path.join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const child = path.posix.join(rel, e.name);
      if (e.isDirectory()) {
        if (e.name === "node_modules" || e.name.startsWith(".")) continue;
        await walk(child);
      } else if (e.isFile() && !/\.(int\.)?test\.tsx?$/.test(e.name)) {
        files.push(child);
      }
    }
  };
  await walk("src");
  await walk("public");
  for (const f of ["next.config.mjs", "next.config.ts", "package-lock.json", "tsconfig.json", "postcss.config.mjs", "postcss.config.js"]) {
    if (existsSync(path.join(root, f))) files.push(f);
  }
  return files.sort();
}

/** sha256 over the build inputs' paths and contents. */
export async function computeBuildStamp(root: string): Promise<string> {
  const hash = createHash("sha256");
  for (const f of await listBuildInputs(root)) {
    hash.update(`${f}\0`);
    hash.update(await fs.readFile(path.join(root, f)));
    hash.update("\0");
  }
  return hash.digest("hex");
}

/** True when `next build` must run: no BUILD_ID, or the stamp written after the last build differs. */
export async function isBuildStale(distDir: string, stamp: string): Promise<boolean> {
  if (!existsSync(path.join(distDir, "BUILD_ID"))) return true;
  const previous = await fs.readFile(path.join(distDir, ".pacts-build-stamp"), "utf8").catch(() => "");
  return previous.trim() !== stamp;
}

/** The worker's restart policy: PACTS_WORKER_MAX_RESTARTS restarts within PACTS_WORKER_RESTART_WINDOW_SEC. */
export function workerRestartPolicy(env: Record<string, string | undefined>): Partial<RestartPolicy> {
  const int = (name: string, raw: string | undefined, fallback: number) => {
    if (raw === undefined || raw.trim() === "") return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got "${raw}"`);
    return n;
  };
  return {
    maxRestarts: int("PACTS_WORKER_MAX_RESTARTS", env.PACTS_WORKER_MAX_RESTARTS, 5),
    windowMs: int("PACTS_WORKER_RESTART_WINDOW_SEC", env.PACTS_WORKER_RESTART_WINDOW_SEC, 300) * 1000,
  };
}

export async function writeBuildStamp(distDir: string, stamp: string): Promise<void> {
  await fs.writeFile(path.join(distDir, ".pacts-build-stamp"), `${stamp}\n`);
}

// ---------------------------------------------------------------------------------------------------------------

type Tracked = { name: string; child: ChildProcess; exited: Promise<void> };

const say = (msg: string) => console.log(`[pacts] ${msg}`);

async function main(): Promise<void> {
  process.chdir(ROOT);
  if (existsSync(path.join(ROOT, ".env"))) process.loadEnvFile(path.join(ROOT, ".env"));
  const env = process.env;

  const port = parsePort(env.PORT);
  const portCheck = await checkPortFree(port);
  if (!portCheck.free) {
    console.error(
      `\n[pacts] Port ${port} is already in use (${portCheck.reason}). Stop whatever listens there ` +
        `(for example another ./scripts/start.sh), or choose another port: PORT=3001 ./scripts/start.sh\n`,
    );
    process.exit(1);
  }

  const dataDir = path.resolve(env.PACTS_DATA_DIR?.trim() || path.join(ROOT, ".data"));
  await fs.mkdir(dataDir, { recursive: true });
  const appUrl = (env.NEXTAUTH_URL?.trim() || `http://localhost:${port}`).replace(/\/+$/, "");

  const children = new Set<Tracked>();
  // Web and worker: the web app exiting stops everything; the worker is restarted with backoff (a crash loop is
  // reported and left stopped; the dashboard then says no worker is running).
  const supervisor = new Supervisor({
    log: say,
    onFatal: (name, code, signal) => {
      // Give a pending signal handler a moment: on Ctrl-C the group may report a child's exit first.
      setTimeout(() => {
        if (!shuttingDown) void shutdown(1, `${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping everything.`);
      }, 200);
    },
  });
  let stopDatabase: () => Promise<void> = async () => {};
  let shuttingDown = false;
  // A generated password is shown once, in the banner; if the start fails before that, it is shown on the way out.
  let generatedAdmin: { email: string; password: string; file: string } | undefined;

  const shutdown = async (code: number, why?: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    if (why) say(why);
    if (generatedAdmin) {
      say(`Generated admin login (not shown again): ${generatedAdmin.email} / ${generatedAdmin.password} (saved in ${generatedAdmin.file})`);
    }
    const running = [...children];
    for (const t of running) signalGroup(t.child, "SIGTERM");
    const all = Promise.all(running.map((t) => t.exited));
    const supervised = supervisor.stop(SHUTDOWN_GRACE_MS);
    const timedOut = await Promise.race([all.then(() => false), sleep(SHUTDOWN_GRACE_MS).then(() => true)]);
    if (timedOut) {
      for (const t of running) signalGroup(t.child, "SIGKILL");
      await Promise.race([all, sleep(500)]);
    }
    await supervised;
    await Promise.race([stopDatabase().catch((err) => console.error(`[pacts] stopping Postgres: ${String(err)}`)), sleep(1500)]);
    process.exit(code);
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      if (shuttingDown) {
        // Second Ctrl-C: do not wait any longer.
        for (const t of children) signalGroup(t.child, "SIGKILL");
        supervisor.killAll();
        process.exit(130);
      }
      void shutdown(0, `${signal} received, stopping…`);
    });
  }

  /** Tracked children (the build) are stopped on shutdown; a long-running one dying stops everything. */
  const track = (name: string, child: ChildProcess, longRunning = true): Tracked => {
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const t: Tracked = { name, child, exited };
    children.add(t);
    child.once("exit", (code, signal) => {
      children.delete(t);
      if (shuttingDown || !longRunning) return;
      // Give a pending signal handler a moment: on Ctrl-C the group may report a child's exit first.
      setTimeout(() => {
        if (!shuttingDown) void shutdown(1, `${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping everything.`);
      }, 200);
    });
    return t;
  };

  try {
    // Secrets and admin first: a bad ADMIN_PASSWORD fails before anything slow.
    const { ensureAuthSecret, resolveAdminCredentials } = await import("../src/server/secrets");
    const authSecret = await ensureAuthSecret(dataDir, env.NEXTAUTH_SECRET);
    const admin = await resolveAdminCredentials({ dataDir, envEmail: env.ADMIN_EMAIL, envPassword: env.ADMIN_PASSWORD });
    if (admin.source === "generated") generatedAdmin = admin;

    // Database.
    const { resolveDatabaseUrl } = await import("../src/server/db/embedded");
    if (!env.DATABASE_URL?.trim()) say("DATABASE_URL is not set: using the embedded PostgreSQL.");
    const database = await resolveDatabaseUrl({
      databaseUrl: env.DATABASE_URL,
      projectDir: ROOT,
      dataDir,
      handleSignals: false,
      log: say,
    });
    stopDatabase = database.stop;
    if (shuttingDown) return;
    if (database.source === "embedded-attached") say(`Attached to the running embedded PostgreSQL on port ${new URL(database.url).port}.`);
    if (database.source === "embedded-started") say(`Embedded PostgreSQL is up on 127.0.0.1:${new URL(database.url).port}.`);
    if (!env.REDIS_URL?.trim()) say("REDIS_URL is not set: using the in-process cache.");

    // Migrations.
    const { migrateDatabase } = await import("../src/server/db/migrate");
    const migrated = await migrateDatabase(database.url, { log: (m: string) => say(m) });
    say(migrated.applied.length ? `Applied ${migrated.applied.length} migration(s).` : "Database schema is up to date.");


    // Seed (idempotent); the demo run is queued on the first seed only.
    const { createDb } = await import("../src/server/db");
    const { seedDatabase } = await import("../src/server/seed");
    const db = createDb(database.url);
    try {
      // First seed = the demo team has no run yet (also covers a first start that failed half-way through).
      const demoTeam = await db.team.findUnique({ where: { slug: "demo" }, select: { id: true } });
      const demoRuns = demoTeam ? await db.run.count({ where: { teamId: demoTeam.id } }) : 0;
      const seeded = await seedDatabase(db, {
        adminEmail: admin.email,
        adminPassword: admin.password,
        appUrl,
        queueDemoRun: demoRuns === 0,
      });
      say(seeded.runId ? "Seeded the demo team and queued the demo run." : "Seed is up to date.");
    } finally {
      await db.$disconnect();
    }
    if (shuttingDown) return;

    const childEnv: NodeJS.ProcessEnv = {
      ...env,
      DATABASE_URL: database.url,
      NEXTAUTH_SECRET: authSecret.secret,
      NEXTAUTH_URL: appUrl,
      PACTS_DATA_DIR: dataDir,
      PORT: String(port),
      NEXT_TELEMETRY_DISABLED: "1",
      CHECKPOINT_DISABLE: "1",
      NODE_ENV: "production",
    };

    // Production build when the sources changed since the last one.
    const nextBin = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");
    const distDir = path.resolve(ROOT, env.NEXT_DIST_DIR?.trim() || ".next");
    const stamp = await computeBuildStamp(ROOT);
    if (await isBuildStale(distDir, stamp)) {
      say("Building the web app (next build; about 15-60 s the first time)…");
      const started = Date.now();
      const build = track("next build", spawnGroup(process.execPath, [nextBin, "build"], childEnv), false);
      const code = await new Promise<number | null>((resolve) => build.child.once("exit", (c) => resolve(c)));
      if (shuttingDown) return;
      if (code !== 0) {
        await shutdown(1, `next build failed (exit ${code}); see the output above.`);
        return;
      }
      // Recomputed: `next build` may itself touch an input (it adds include paths to tsconfig.json).
      await writeBuildStamp(distDir, await computeBuildStamp(ROOT));
      say(`Build done in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    } else {
      say("Web build is current (skipping next build).");
    }
    if (shuttingDown) return;

    // Web and worker, each in its own process group so the shutdown can stop their whole trees.
    const recheck = await checkPortFree(port);
    if (!recheck.free) {
      await shutdown(1, `Port ${port} was taken while starting (${recheck.reason}).`);
      return;
    }
    const workerPolicy = workerRestartPolicy(env);
    supervisor.add({ name: "web (next start)", mode: "critical", command: process.execPath, args: [nextBin, "start", "-p", String(port)], env: childEnv, cwd: ROOT });
    supervisor.add({ name: "worker", mode: "restart", command: process.execPath, args: ["--import", "tsx", "worker/index.ts"], env: childEnv, cwd: ROOT, policy: workerPolicy });

    const ready = await waitForHttp(`http://127.0.0.1:${port}/login`, 60_000, () => shuttingDown);
    if (shuttingDown) return;
    if (!ready) {
      await shutdown(1, `The web app did not answer on port ${port} within 60 s.`);
      return;
    }
    printBanner(appUrl, port, admin, path.relative(ROOT, admin.file) || admin.file, database.source === "embedded-started");
    generatedAdmin = undefined;
  } catch (err) {
    if (shuttingDown) return;
    console.error(`\n[pacts] Start failed: ${err instanceof Error ? err.message : String(err)}\n`);

    await shutdown(1);
  }
}

function printBanner(
  appUrl: string,
  port: number,
  admin: { email: string; password: string; source: "env" | "file" | "generated" },
  credentialsFile: string,
  ownsDatabase: boolean,
): void {
  const lines = [`PACTS is running: ${appUrl}  (also http://127.0.0.1:${port})`, `Log in at ${appUrl}/login as ${admin.email}`];
  if (admin.source === "generated") {
    lines.push(`Password: ${admin.password}`, `(shown once; also saved with mode 0600 in ${credentialsFile})`);
  } else if (admin.source === "file") {
    lines.push(`Password: see ${credentialsFile}`);
  } else {
    lines.push("Password: the ADMIN_PASSWORD you set");
  }
  lines.push(ownsDatabase ? "Press Ctrl-C to stop web, worker and the embedded database." : "Press Ctrl-C to stop web and worker.");
  const width = Math.max(...lines.map((l) => l.length));
  const bar = "=".repeat(width + 4);
  console.log(`\n${bar}\n${lines.map((l) => `| ${l.padEnd(width)} |`).join("\n")}\n${bar}\n`);
}

function spawnGroup(command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(command, args, { cwd: ROOT, env, stdio: "inherit", detached: true });
}

async function waitForHttp(url: string, timeoutMs: number, cancelled: () => boolean): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !cancelled()) {
    const status = await probeHttp(url);
    if (status !== undefined && status < 500) return true;
    await sleep(250);
  }
  return false;
}

/** One GET without keep-alive: an idle pooled connection would hold up `next start`'s shutdown. */
function probeHttp(url: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, headers: { connection: "close" }, timeout: 5000 }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(undefined));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  void main();
}
