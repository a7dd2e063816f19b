import { describe, expect, it } from "vitest";
import { createMemoryKv } from "./kv";

describe("memory kv", () => {
  it("returns a value until its ttl passes, then misses", async () => {
    let t = 1_000_000;
    const kv = createMemoryKv({ now: () => t });
    await kv.set("a", "1", 10);
    expect(await kv.get("a")).toBe("1");
    t += 9_999;
    expect(await kv.get("a")).toBe("1");
    t += 1;
    expect(await kv.get("a")).toBeNull();
    expect(kv.size()).toBe(0);
  });

  it("does not store with ttl <= 0 and overwrites/deletes", async () => {
    const kv = createMemoryKv();
    await kv.set("a", "1", 0);
    expect(await kv.get("a")).toBeNull();
    await kv.set("a", "1", 60);
    await kv.set("a", "2", 60);
    expect(await kv.get("a")).toBe("2");
    await kv.del("a");
    expect(await kv.get("a")).toBeNull();
  });

  it("evicts the least recently used entry beyond maxEntries", async () => {
    const kv = createMemoryKv({ maxEntries: 2 });
    await kv.set("a", "1", 60);
    await kv.set("b", "2", 60);
    expect(await kv.get("a")).toBe("1"); // a is now most recent
    await kv.set("c", "3", 60);
    expect(kv.size()).toBe(2);
    expect(await kv.get("b")).toBeNull();
    expect(await kv.get("a")).toBe("1");
    expect(await kv.get("c")).toBe("3");
    expect(kv.name).toBe("memory");
  });
});
