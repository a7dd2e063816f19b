import { describe, expect, it } from "vitest";
import { createResultCache } from "./result-cache";

const deferred = <T>() => {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};

describe("createResultCache", () => {
  it("computes once for concurrent callers and serves the value while fresh", async () => {
    const cache = createResultCache<number>({ freshMs: 1000, staleMs: 10_000 });
    let calls = 0;
    const d = deferred<number>();
    const compute = () => (calls++, d.promise);
    const a = cache.get("k", compute, 0);
    const b = cache.get("k", compute, 10);
    d.resolve(7);
    expect(await Promise.all([a, b])).toEqual([7, 7]);
    expect(await cache.get("k", compute, 900)).toBe(7);
    expect(calls).toBe(1);
  });

  it("serves the stale value at once while one background refresh runs, then the new one", async () => {
    const cache = createResultCache<number>({ freshMs: 1000, staleMs: 10_000 });
    await cache.get("k", async () => 1, 0);
    const d = deferred<number>();
    let calls = 0;
    const compute = () => (calls++, d.promise);
    expect(await cache.get("k", compute, 2000)).toBe(1);
    expect(await cache.get("k", compute, 2001)).toBe(1);
    expect(calls).toBe(1);
    d.resolve(2);
    await d.promise;
    expect(await cache.get("k", compute, 2002)).toBe(2);
  });

  it("waits for a new value once the old one is older than staleMs, and never caches a failure", async () => {
    const cache = createResultCache<number>({ freshMs: 1000, staleMs: 5000 });
    await cache.get("k", async () => 1, 0);
    await expect(cache.get("k", () => Promise.reject(new Error("db down")), 6000)).rejects.toThrow("db down");
    expect(await cache.get("k", async () => 3, 6001)).toBe(3);
  });

  it("keeps keys apart and bounds the number of entries", async () => {
    const cache = createResultCache<string>({ freshMs: 1000, staleMs: 5000, maxEntries: 2 });
    await cache.get("a", async () => "A", 0);
    await cache.get("b", async () => "B", 0);
    await cache.get("c", async () => "C", 0);
    let recomputed = false;
    expect(await cache.get("a", async () => ((recomputed = true), "A2"), 10)).toBe("A2");
    expect(recomputed).toBe(true);
    expect(await cache.get("c", async () => "C2", 10)).toBe("C");
  });
});
