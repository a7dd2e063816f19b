// Optional Redis (L1 of the selector cache). Redis is an accelerator, never a dependency: a missing URL means
// "no Redis" (null), and a down server must fail fast and quietly — no offline queue that would park commands
// until a reconnect, short connect/command timeouts, and connection errors logged once per outage.
import Redis from "ioredis";
import { serverEnv } from "./env";
import { logger } from "./logger";

const log = logger.child({ mod: "redis" });

export const REDIS_CONNECT_TIMEOUT_MS = 1000;
export const REDIS_COMMAND_TIMEOUT_MS = 1000;

export function createRedis(url: string): Redis {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    // Keep reconnecting in the background (capped backoff) so a Redis that comes back is used again.
    retryStrategy: (times) => Math.min(times * 200, 5000),
  });
  let reported = false;
  // Without an "error" listener ioredis prints every failed reconnect; report the first of each outage only.
  client.on("error", (err: Error) => {
    if (reported) return;
    reported = true;
    log.warn({ err: err.message, url: redactUrl(url) }, "redis unavailable; continuing without it");
  });
  client.on("ready", () => {
    if (reported) log.info({ url: redactUrl(url) }, "redis reachable again");
    reported = false;
  });
  return client;
}

/**
 * Resolves when `client` can take commands, or rejects quickly. A lazy client is connected on first use here
 * (with the offline queue off, ioredis would otherwise reject the very first command). A client that is
 * reconnecting after an outage rejects at once instead of making the caller wait for the next attempt.
 */
export function whenRedisReady(client: Redis, timeoutMs: number = REDIS_CONNECT_TIMEOUT_MS + 200): Promise<void> {
  switch (client.status) {
    case "ready":
      return Promise.resolve();
    case "end":
    case "reconnecting":
    case "close":
      return Promise.reject(new Error(`redis not connected (${client.status})`));
    default:
      break;
  }
  return new Promise<void>((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      client.off("ready", onReady);
      client.off("error", onFail);
      client.off("close", onFail);
      client.off("end", onFail);
    };
    const onReady = () => {
      cleanup();
      resolve();
    };
    const onFail = (err?: unknown) => {
      cleanup();
      reject(err instanceof Error ? err : new Error("redis connection closed"));
    };
    const timer = setTimeout(() => onFail(new Error("redis connect timeout")), timeoutMs);
    client.once("ready", onReady);
    client.once("error", onFail);
    client.once("close", onFail);
    client.once("end", onFail);
    // "wait" = lazy client never connected: start it. connect() sets "connecting" synchronously, so a
    // concurrent caller lands in the listener path above instead of a second connect().
    if (client.status === "wait") client.connect().catch(() => undefined);
  });
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "<invalid url>";
  }
}

const globalForRedis = globalThis as unknown as { pactsRedis?: Redis | null };

/** The process-wide client from REDIS_URL, or null when Redis is not configured. Never connects eagerly. */
export function getRedis(): Redis | null {
  if (globalForRedis.pactsRedis !== undefined) return globalForRedis.pactsRedis;
  const url = serverEnv().REDIS_URL;
  globalForRedis.pactsRedis = url ? createRedis(url) : null;
  return globalForRedis.pactsRedis;
}

/** Closes the singleton (CLI exit, tests). The next getRedis() re-reads REDIS_URL. */
export async function closeRedis(): Promise<void> {
  const client = globalForRedis.pactsRedis;
  globalForRedis.pactsRedis = undefined;
  if (!client) return;
  if (client.status === "ready") {
    await client.quit().catch(() => client.disconnect());
  } else {
    client.disconnect();
  }
}
