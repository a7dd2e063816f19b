import { describe, expect, it } from "vitest";
import { WriteBehind } from "./write-behind";

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("WriteBehind", () => {
  it("applies writes in the order they were queued, one at a time", async () => {
    const w = new WriteBehind();
    const log: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const write = (name: string, ms: number) => async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await tick(ms);
      log.push(name);
      running--;
    };
    w.push(write("a", 30));
    w.push(write("b", 1));
    w.push(write("c", 10));
    expect(log).toEqual([]); // push never waits
    await w.flush();
    expect(log).toEqual(["a", "b", "c"]);
    expect(maxRunning).toBe(1);
  });

  it("stops at the first failure and raises it from check() and flush()", async () => {
    const w = new WriteBehind();
    const log: string[] = [];
    w.push(async () => void log.push("first"));
    w.push(async () => {
      throw new Error("database went away");
    });
    w.push(async () => void log.push("after the failure"));
    await expect(w.flush()).rejects.toThrow("database went away");
    expect(() => w.check()).toThrow("database went away");
    expect(log).toEqual(["first"]);
  });

  it("drain() waits for queued writes without raising", async () => {
    const w = new WriteBehind();
    let done = false;
    w.push(async () => {
      throw new Error("boom");
    });
    w.push(async () => {
      done = true;
    });
    await expect(w.drain()).resolves.toBeUndefined();
    expect(done).toBe(false);
    expect(() => w.check()).toThrow("boom");
  });
});
