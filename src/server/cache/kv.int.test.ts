// Real Redis on 127.0.0.1:6379; every key under a per-file prefix, and only that prefix is cleaned up.
import { randomUUID } from "node:crypto";
import type Redis from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { createRedis, whenRedisReady } from "@/server/redis";
import { createRedisKv } from "./kv";

const REDIS_URL = "redis://127.0.0.1:6379";
const prefix = `pacts:test:kv:${randomUUID()}:`;
const clients: Redis[] = [];
const client = (url = REDIS_URL) => {
  const c = createRedis(url);
  clients.push(c);
  return c;
};

afterAll(async () => {
  const admin = client();
  await whenRedisReady(admin);
  await deleteByPrefix(admin, prefix);
  for (const c of clients) c.disconnect();
});

/** SCAN (not KEYS) so a shared Redis is not blocked; deletes only this file's keys. */
async function deleteByPrefix(r: Redis, p: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await r.scan(cursor, "MATCH", `${p}*`, "COUNT", 500);
    if (keys.length) await r.del(...keys);
    cursor = next;
  } while (cursor !== "0");
}

describe("redis kv", () => {
  it("works on the very first call of a lazy client, including concurrent first calls", async () => {
    const kv = createRedisKv(client(), { prefix });
    const results = await Promise.all([kv.get("first-a"), kv.set("first-b", "v", 60), kv.get("first-c")]);
    expect(results).toEqual([null, undefined, null]);
    expect(await kv.get("first-b")).toBe("v");
    expect(kv.healthy()).toBe(true);
  });

  it("sets with a ttl under the prefix, reads and deletes", async () => {
    const raw = client();
    const kv = createRedisKv(raw, { prefix });
    await kv.set("k1", "hello", 30);
    expect(await kv.get("k1")).toBe("hello");
    const ttl = await raw.ttl(`${prefix}k1`);
    expect(ttl).toBeGreaterThan(25);
    expect(ttl).toBeLessThanOrEqual(30);
    await kv.del("k1");
    expect(await kv.get("k1")).toBeNull();
    await kv.set("k0", "x", 0);
    expect(await raw.exists(`${prefix}k0`)).toBe(0);
  });

  it("expires keys in Redis", async () => {
    const kv = createRedisKv(client(), { prefix });
    await kv.set("short", "x", 1);
    expect(await kv.get("short")).toBe("x");
    await new Promise((r) => setTimeout(r, 1100));
    expect(await kv.get("short")).toBeNull();
  });

  it("with Redis down: misses and no-ops fast, never throws, and cools down", async () => {
    let t = 0;
    const kv = createRedisKv(client("redis://127.0.0.1:1"), { prefix, now: () => t, coolDownMs: 5000 });
    const started = Date.now();
    await expect(kv.set("x", "1", 60)).resolves.toBeUndefined();
    expect(kv.healthy()).toBe(false);
    await expect(kv.get("x")).resolves.toBeNull();
    await expect(kv.del("x")).resolves.toBeUndefined();
    t += 5000;
    expect(kv.healthy()).toBe(true);
    await expect(kv.get("x")).resolves.toBeNull();
    expect(kv.healthy()).toBe(false);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
