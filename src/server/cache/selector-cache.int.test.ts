// Real Postgres (own database) and real Redis (per-file key prefix, only that prefix is cleaned up).
import { randomUUID } from "node:crypto";
import type Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/generated/prisma/client";
import { resetServerEnv } from "@/server/env";
import { closeRedis, createRedis, whenRedisReady } from "@/server/redis";
import { createTestDatabase } from "../../../test/helpers/test-db";
import { createMemoryKv, createRedisKv, getL1 } from "./kv";
import { cacheKey, createSelectorCache } from "./selector-cache";

const prefix = `pacts:test:selcache:${randomUUID()}:`;
let db: PrismaClient;
let dbUrl: string;
let drop: () => Promise<void>;
let teamId: string;
let redis: Redis;
const downClients: Redis[] = [];

beforeAll(async () => {
  const t = await createTestDatabase("src/server/cache/selector-cache.int.test.ts");
  db = t.db;
  dbUrl = t.url;
  drop = t.drop;
  teamId = (await db.team.create({ data: { name: "T", slug: "t-cache" } })).id;
  redis = createRedis("redis://127.0.0.1:6379");
  await whenRedisReady(redis);
});

afterAll(async () => {
  if (redis) {
    await whenRedisReady(redis);
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
    expect((await redis.scan("0", "MATCH", `${prefix}*`, "COUNT", 1000))[1]).toEqual([]);
    redis.disconnect();
  }
  for (const c of downClients) c.disconnect();
  await closeRedis();
  await drop?.();
});

const PAGE = "http://127.0.0.1:3000/demo/login";
let n = 0;
/** A fresh element per test so tests do not share entries. */
const freshKey = () => ({ teamId, urlPattern: PAGE, elementName: `field:el-${++n}` });
const found = { selector: "input[name=\"username\"]", strategy: "name-attr", confidence: 0.95, fingerprint: { tag: "input", name: "username" } };

describe("selector cache (Redis L1 + Postgres L2)", () => {
  it("miss → put writes both layers; L1 miss → L2 hit backfills L1 → next get is an L1 hit", async () => {
    const cache = createSelectorCache({ db, l1: createRedisKv(redis, { prefix }) });
    const k = freshKey();
    expect(await cache.get(k)).toEqual({ entry: null, source: "miss" });

    expect(await cache.put({ ...k, ...found, stable: true })).toEqual({ stored: true });
    const key = cacheKey(k.teamId, k.urlPattern, k.elementName);
    expect(await redis.exists(prefix + key)).toBe(1);
    const row = await db.selectorCacheEntry.findUniqueOrThrow({ where: { cacheKey: key } });
    expect(row).toMatchObject({ selector: found.selector, strategy: "name-attr", confidence: 0.95, fingerprint: found.fingerprint, stable: true });
    expect(row.expiresAt.getTime() - Date.now()).toBeGreaterThan(7 * 24 * 3600 * 1000 - 60_000);

    await redis.del(prefix + key); // L1 lost (eviction, restart)
    const fromL2 = await cache.get(k);
    expect(fromL2.source).toBe("postgres");
    expect(fromL2.entry).toMatchObject({ selector: found.selector, fingerprint: found.fingerprint });
    expect(await redis.exists(prefix + key)).toBe(1);
    expect(await redis.ttl(prefix + key)).toBeGreaterThan(3500);

    const fromL1 = await cache.get(k);
    expect(fromL1.source).toBe("redis");
    expect(fromL1.entry).toEqual(fromL2.entry);

    const s = cache.stats();
    expect(s.layers.redis).toEqual({ hits: 1, misses: 2, stale: 0 });
    expect(s.layers.postgres).toEqual({ hits: 1, misses: 1, stale: 0 });
    expect([s.misses, s.writes]).toEqual([1, 1]);
    expect((await db.selectorCacheEntry.findUniqueOrThrow({ where: { cacheKey: key } })).hitCount).toBe(1);
  });

  it("stores stable selectors only", async () => {
    const cache = createSelectorCache({ db, l1: createRedisKv(redis, { prefix }) });
    const k = freshKey();
    expect(await cache.put({ ...k, ...found, selector: "#input-339", stable: false })).toEqual({ stored: false, reason: "volatile" });
    expect(await cache.get(k)).toEqual({ entry: null, source: "miss" });
    expect(await db.selectorCacheEntry.count({ where: { elementName: k.elementName } })).toBe(0);
    expect(cache.stats().skippedVolatile).toBe(1);
  });

  it("L1 entries expire in Redis and are refilled from L2; expired L2 rows are misses", async () => {
    let now = new Date();
    const cache = createSelectorCache({ db, l1: createRedisKv(redis, { prefix }), l1TtlSec: 1, l2TtlSec: 60, now: () => now });
    const k = freshKey();
    await cache.put({ ...k, ...found, stable: true });
    expect((await cache.get(k)).source).toBe("redis");
    await new Promise((r) => setTimeout(r, 1100));
    expect((await cache.get(k)).source).toBe("postgres");

    // L2 expiry: move the cache's clock past the row's expiry (and drop L1 so L2 is consulted).
    now = new Date(now.getTime() + 61_000);
    await redis.del(prefix + cacheKey(k.teamId, k.urlPattern, k.elementName));
    expect(await cache.get(k)).toEqual({ entry: null, source: "miss" });
  });

  it("backfills L1 no longer than the L2 row has left", async () => {
    const cache = createSelectorCache({ db, l1: createRedisKv(redis, { prefix }), l1TtlSec: 3600, l2TtlSec: 30 });
    const k = freshKey();
    await cache.put({ ...k, ...found, stable: true });
    const key = prefix + cacheKey(k.teamId, k.urlPattern, k.elementName);
    expect(await redis.ttl(key)).toBeLessThanOrEqual(30);
    await redis.del(key);
    expect((await cache.get(k)).source).toBe("postgres");
    const ttl = await redis.ttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30);
  });

  it("markStale drops L1, expires L2 (counters kept) and counts stale for the serving layer; a re-put heals", async () => {
    const cache = createSelectorCache({ db, l1: createRedisKv(redis, { prefix }) });
    const k = freshKey();
    await cache.put({ ...k, ...found, stable: true });
    const hit = await cache.get(k);
    expect(hit.source).toBe("redis");
    await cache.markStale(k, "redis");
    expect(await cache.get(k)).toEqual({ entry: null, source: "miss" });
    const key = cacheKey(k.teamId, k.urlPattern, k.elementName);
    const row = await db.selectorCacheEntry.findUniqueOrThrow({ where: { cacheKey: key } });
    expect(row.missCount).toBe(1);
    expect(row.expiresAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(cache.stats().layers.redis.stale).toBe(1);

    await cache.put({ ...k, ...found, selector: "input#username", fingerprint: undefined, stable: true });
    const healed = await cache.get(k);
    expect(healed.entry).toMatchObject({ selector: "input#username", fingerprint: null });
    const after = await db.selectorCacheEntry.findUniqueOrThrow({ where: { cacheKey: key } });
    expect(after.missCount).toBe(1);
    expect(after.fingerprint).toBeNull();
  });

  it("invalidate removes the entry from both layers", async () => {
    const cache = createSelectorCache({ db, l1: createRedisKv(redis, { prefix }) });
    const k = freshKey();
    await cache.put({ ...k, ...found, stable: true });
    await cache.invalidate(k);
    expect(await cache.get(k)).toEqual({ entry: null, source: "miss" });
    expect(await db.selectorCacheEntry.count({ where: { elementName: k.elementName } })).toBe(0);
  });

  it("treats an unreadable L1 value as a miss and falls through to L2", async () => {
    const cache = createSelectorCache({ db, l1: createRedisKv(redis, { prefix }) });
    const k = freshKey();
    await cache.put({ ...k, ...found, stable: true });
    await redis.set(prefix + cacheKey(k.teamId, k.urlPattern, k.elementName), "{not json", "EX", 60);
    const r = await cache.get(k);
    expect(r.source).toBe("postgres");
    expect(r.entry?.selector).toBe(found.selector);
  });

  it("keeps teams apart", async () => {
    const other = (await db.team.create({ data: { name: "O", slug: "o-cache" } })).id;
    const cache = createSelectorCache({ db, l1: createRedisKv(redis, { prefix }) });
    const k = freshKey();
    await cache.put({ ...k, ...found, stable: true });
    expect(await cache.get({ ...k, teamId: other })).toEqual({ entry: null, source: "miss" });
  });
});

describe("selector cache with Redis down", () => {
  it("get/put/markStale work through L2 only, fast, and never throw", async () => {
    const down = createRedis("redis://127.0.0.1:1");
    downClients.push(down);
    const cache = createSelectorCache({ db, l1: createRedisKv(down, { prefix }) });
    const k = freshKey();
    const started = Date.now();
    expect(await cache.get(k)).toEqual({ entry: null, source: "miss" });
    expect(await cache.put({ ...k, ...found, stable: true })).toEqual({ stored: true });
    const r1 = await cache.get(k);
    expect(r1.source).toBe("postgres");
    expect(r1.entry?.selector).toBe(found.selector);
    expect((await cache.get(k)).source).toBe("postgres");
    await cache.markStale(k, "postgres");
    expect(await cache.get(k)).toEqual({ entry: null, source: "miss" });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("the process-wide L1 from REDIS_URL=redis://127.0.0.1:1 is Redis and degrades to L2", async () => {
    process.env.DATABASE_URL = dbUrl;
    process.env.REDIS_URL = "redis://127.0.0.1:1";
    resetServerEnv();
    await closeRedis();
    const l1 = getL1();
    expect(l1.name).toBe("redis");
    const cache = createSelectorCache({ db, l1 });
    const k = freshKey();
    await cache.put({ ...k, ...found, stable: true });
    expect((await cache.get(k)).source).toBe("postgres");
  });
});

describe("selector cache with the memory L1", () => {
  it("reports memory hits", async () => {
    const cache = createSelectorCache({ db, l1: createMemoryKv() });
    const k = freshKey();
    await cache.put({ ...k, ...found, stable: true });
    expect((await cache.get(k)).source).toBe("memory");
    expect(cache.stats().layers.memory.hits).toBe(1);
  });
});
