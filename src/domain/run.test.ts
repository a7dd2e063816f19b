import { describe, expect, it } from "vitest";
import { runTimings } from "./run";

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

describe("runTimings", () => {
  it("splits queue wait and earlier attempts from the final attempt", () => {
    // Queued at 0, first claimed at 2, its worker died; the final attempt was claimed at 40.
    expect(runTimings({ createdAt: at(0), startTime: at(2), attemptStartedAt: at(40), attempts: 2 })).toEqual({ queueWaitMs: 2000, earlierAttemptsMs: 38_000 });
    expect(runTimings({ createdAt: at(0), startTime: at(5), attemptStartedAt: at(5), attempts: 1 })).toEqual({ queueWaitMs: 5000, earlierAttemptsMs: null });
    expect(runTimings({ createdAt: at(0), startTime: null, attemptStartedAt: null, attempts: 0 })).toEqual({ queueWaitMs: null, earlierAttemptsMs: null });
  });
});
