// L1 key-value store for the selector cache: Redis when REDIS_URL is set, else an in-process map. Both never
// throw: the cache is an accelerator, so any L1 failure is a miss (get) or a no-op (set/del), and a failing
// Redis is skipped entirely for a short cool-down instead of costing every step a timeout.
import type Redis from "ioredis";
import { logger } from "@/server/logger";
import { getRedis, whenRedisReady } from "@/server/redis";

const log = logger.child({ mod: "kv" });

export type KvStore = {
  readonly name: "redis" | "memory";
  get(key: string): Promise<string | null>;
  /** ttlSec <= 0 means "do not store" (already expired). */
  set(key: string, value: string, ttlSec: number): Promise<void>;
  del(key: string): Promise<void>;
};

export type RedisKvOptions = {
  /** Prepended to every key (tests use a unique prefix so they can clean up only their own keys). */
  prefix?: string;
  /** How long to bypass Redis after a failed call. */
  coolDownMs?: number;
  now?: () => number;
};

export type RedisKv = KvStore & {
  /** False while in the cool-down after a failure. */
  healthy(): boolean;
};

export function createRedisKv(client: Redis, opts: RedisKvOptions = {}): RedisKv {
  const prefix = opts.prefix ?? "pacts:";
  const coolDownMs = opts.coolDownMs ?? 5000;
  const now = opts.now ?? Date.now;
  let unhealthyUntil = 0;
  let warned = false;

  const healthy = () => now() >= unhealthyUntil;

  async function guarded<T>(op: string, fallback: T, fn: () => Promise<T>): Promise<T> {
    if (!healthy()) return fallback;
    try {
      await whenRedisReady(client);
      const result = await fn();
      if (warned) {
        warned = false;
        log.info("redis L1 healthy again");
      }
      return result;
    } catch (err) {
      unhealthyUntil = now() + coolDownMs;
      // One warning per outage; the client logs its own connection errors once too.
      if (!warned) {
        warned = true;
        log.warn({ op, err: err instanceof Error ? err.message : String(err), coolDownMs }, "redis L1 failed; using L2 only");
      }
      return fallback;
    }
  }

  return {
    name: "redis",
    healthy,
    get: (key) => guarded("get", null, () => client.get(prefix + key)),
    set: async (key, value, ttlSec) => {
      const ttl = Math.floor(ttlSec);
      if (ttl <= 0) return;
      await guarded("set", undefined, async () => void (await client.set(prefix + key, value, "EX", ttl)));
    },
    del: async (key) => {
      await guarded("del", undefined, async () => void (await client.del(prefix + key)));
    },
  };
}

export type MemoryKvOptions = { maxEntries?: number; now?: () => number };

/**
 * Per-process L1 for setups without Redis (CLI, single worker). A Map keeps insertion order, so re-inserting on
 * read makes the first key the least recently used one: evicting it gives LRU without extra bookkeeping.
 */
export function createMemoryKv(opts: MemoryKvOptions = {}): KvStore & { size(): number } {
  const maxEntries = opts.maxEntries ?? 10_000;
  const now = opts.now ?? Date.now;
  const map = new Map<string, { value: string; expiresAt: number }>();

  return {
    name: "memory",
    size: () => map.size,
    async get(key) {
      const hit = map.get(key);
      if (!hit) return null;
      if (hit.expiresAt <= now()) {
        map.delete(key);
        return null;
      }
      map.delete(key);
      map.set(key, hit);
      return hit.value;
    },
    async set(key, value, ttlSec) {
      map.delete(key);
      if (ttlSec <= 0) return;
      map.set(key, { value, expiresAt: now() + ttlSec * 1000 });
      while (map.size > maxEntries) {
        const oldest = map.keys().next();
        if (oldest.done) break;
        map.delete(oldest.value);
      }
    },
    async del(key) {
      map.delete(key);
    },
  };
}

const globalForKv = globalThis as unknown as { pactsL1?: KvStore };

/** The process-wide L1: Redis when configured, else memory. */
export function getL1(): KvStore {
  if (globalForKv.pactsL1) return globalForKv.pactsL1;
  const redis = getRedis();
  globalForKv.pactsL1 = redis ? createRedisKv(redis) : createMemoryKv();
  return globalForKv.pactsL1;
}
