// Wakes an idle worker the moment a run is queued (enqueueRun does NOTIFY pacts_runs). Polling stays the safety
// net: a lost connection only costs latency, so errors are logged and the listener reconnects.
import pg from "pg";
import type { Logger } from "pino";
import type { PrismaClient } from "@/generated/prisma/client";

export const RUNS_CHANNEL = "pacts_runs";

export type RunListener = {
  /** Resolves on the next notification (or one that arrived since the last wait), or after timeoutMs. */
  wait(timeoutMs: number): Promise<"notified" | "timeout">;
  /** Stops listening; a pending or later wait resolves at once (shutdown). */
  close(): Promise<void>;
};

export async function listenForRuns(connectionString: string, log: Logger): Promise<RunListener> {
  let pending = false;
  let waiter: ((r: "notified" | "timeout") => void) | undefined;
  let client: pg.Client | undefined;
  let closed = false;
  let reconnectTimer: NodeJS.Timeout | undefined;

  const signal = (r: "notified" | "timeout") => {
    const w = waiter;
    waiter = undefined;
    if (w) w(r);
    else if (r === "notified") pending = true;
  };

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString });
    c.on("notification", (msg) => {
      if (msg.channel === RUNS_CHANNEL) signal("notified");
    });
    c.on("error", (err) => {
      if (closed) return; // shutting down: the database may well stop before we do
      const code = (err as { code?: string }).code;
      // 57P01/57P03: the database itself is shutting down (an admin stop, or the embedded cluster receiving the
      // same Ctrl-C as this worker) — expected, and not worth a stack trace.
      if (code === "57P01" || code === "57P03") log.info({ code }, "run listener: the database is shutting down; polling until it is back");
      else log.warn({ err }, "run listener connection lost; polling until it reconnects");
      c.end().catch(() => undefined);
      if (client === c) client = undefined;
      if (!closed) reconnectTimer = setTimeout(() => void connect().catch(() => undefined), 2000);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${RUNS_CHANNEL}`);
      client = c;
    } catch (err) {
      log.warn({ err }, "run listener could not connect; retrying in 2 s");
      await c.end().catch(() => undefined);
      if (!closed) reconnectTimer = setTimeout(() => void connect().catch(() => undefined), 2000);
    }
  };
  await connect();

  return {
    wait(timeoutMs) {
      if (closed) return Promise.resolve("timeout");
      if (pending) {
        pending = false;
        return Promise.resolve("notified");
      }
      return new Promise((resolve) => {
        const timer = setTimeout(() => signal("timeout"), timeoutMs);
        waiter = (r) => {
          clearTimeout(timer);
          resolve(r);
        };
      });
    },
    async close() {
      closed = true;
      clearTimeout(reconnectTimer);
      signal("timeout");
      await client?.end().catch(() => undefined);
      client = undefined;
    },
  };
}

/** Tells listening workers a run was queued. Inside a transaction Postgres delivers it at commit. */
export async function notifyRunQueued(db: { $queryRaw: PrismaClient["$queryRaw"] }, runId: string): Promise<void> {
  await db.$queryRaw`SELECT pg_notify(${RUNS_CHANNEL}, ${runId})::text AS "notified"`;
}
