import { describe, expect, it } from "vitest";
import { formatInZone } from "./format-in-zone";

describe("formatInZone", () => {
  it("shows the time in the schedule's zone with the zone's name", () => {
    const d = new Date("2025-03-30T07:00:00Z");
    expect(formatInZone(d, "Europe/Berlin", "en-US")).toBe("Mar 30, 2025, 09:00 AM GMT+2");
    expect(formatInZone(d, "UTC", "en-US")).toBe("Mar 30, 2025, 07:00 AM UTC");
  });

  it("falls back to ISO for a zone Intl does not know", () => {
    expect(formatInZone(new Date("2025-01-01T00:00:00Z"), "Not/AZone")).toBe("2025-01-01T00:00:00.000Z");
  });
});
