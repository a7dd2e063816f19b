import { describe, expect, it } from "vitest";
import { DEFAULT_RETENTION, deletionBackoffMs, ZRetentionSettings } from "./retention";

describe("ZRetentionSettings", () => {
  it("accepts the defaults and whole days up to ten years", () => {
    expect(ZRetentionSettings.safeParse(DEFAULT_RETENTION).success).toBe(true);
    expect(ZRetentionSettings.safeParse({ runDays: 3650, healEventDays: 1 }).success).toBe(true);
  });
  it.each([
    { runDays: 0, healEventDays: 0 },
    { runDays: 3651, healEventDays: 1 },
    { runDays: 1.5, healEventDays: 1 },
    { runDays: 7, healEventDays: 8 },
  ])("refuses %j", (s) => {
    expect(ZRetentionSettings.safeParse(s).success).toBe(false);
  });
});

describe("deletionBackoffMs", () => {
  it("is 1, 2, 4 … minutes, at most an hour", () => {
    expect([1, 2, 3].map(deletionBackoffMs)).toEqual([60_000, 120_000, 240_000]);
    expect(deletionBackoffMs(20)).toBe(3_600_000);
  });
});
