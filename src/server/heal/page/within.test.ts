import { describe, expect, it } from "vitest";
import { within } from "./within";

const after = <T>(ms: number, v: T) => new Promise<T>((r) => setTimeout(() => r(v), ms));

describe("within", () => {
  it("passes on a value that comes in time", async () => {
    expect(await within(after(5, "yes"), 1000, "late")).toBe("yes");
  });
  it("answers the fallback when the promise is late, and drops its late rejection", async () => {
    const rejectsLate = new Promise((_, reject) => setTimeout(() => reject(new Error("too late")), 30));
    expect(await within(rejectsLate, 5, "fallback")).toBe("fallback");
    await after(50, null); // the late rejection must not surface as an unhandled rejection (vitest fails on one)
  });
  it("passes on a rejection that comes in time", async () => {
    await expect(within(Promise.reject(new Error("boom")), 1000, "x")).rejects.toThrow("boom");
  });
});
