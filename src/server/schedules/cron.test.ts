import { describe, expect, it } from "vitest";
import { nextRunAfter, normaliseTimezone, validateCron } from "./cron";

describe("validateCron", () => {
  it.each([
    ["*/5 * * * *", "UTC", "*/5 * * * *", "UTC"],
    ["  0   9 * *  1-5 ", "Europe/Berlin", "0 9 * * 1-5", "Europe/Berlin"],
    ["0 0 * * MON,THU", "America/New_York", "0 0 * * MON,THU", "America/New_York"],
    ["0 0 L * *", "UTC", "0 0 L * *", "UTC"],
    ["@daily", "utc", "@daily", "UTC"],
    ["@hourly", "Asia/Kolkata", "@hourly", "Asia/Kolkata"],
  ])("accepts %j in %s", (cron, tz, normCron, normTz) => {
    expect(validateCron(cron, tz)).toEqual({ ok: true, cron: normCron, timezone: normTz });
  });

  it.each([
    ["", "UTC", "cron", /Cron expression is required/],
    ["* * * *", "UTC", "cron", /^Cron must have 5 fields \(minute hour day month weekday\), got 4$/],
    ["* * * * * * *", "UTC", "cron", /^Cron must have 5 fields \(minute hour day month weekday\), got 7$/],
    ["*/10 * * * * *", "UTC", "cron", /Cron must have 5 fields .*minimum interval is 1 minute/],
    ["@secondly", "UTC", "cron", /Unknown cron macro/],
    ["61 * * * *", "UTC", "cron", /Invalid cron expression "61 \* \* \* \*".*61.*0-59/],
    ["* 25 * * *", "UTC", "cron", /Invalid cron expression.*0-23/],
    ["foo * * * *", "UTC", "cron", /Invalid cron expression.*Invalid characters/],
    ["*/0 * * * *", "UTC", "cron", /Invalid cron expression/],
    ["0 0 30 2 *", "UTC", "cron", /Invalid cron expression/],
    ["H * * * *", "UTC", "cron", /Random \(H\) values are not supported/],
    ["x".repeat(200), "UTC", "cron", /limited to 120 characters/],
    ["* * * * *", "Mars/Phobos", "timezone", /Unknown time zone "Mars\/Phobos"/],
    ["* * * * *", "", "timezone", /Unknown time zone/],
  ])("rejects %j in %j", (cron, tz, field, message) => {
    const r = validateCron(cron, tz);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.field).toBe(field);
    expect(r.message).toMatch(message);
  });
});

describe("normaliseTimezone", () => {
  it("returns canonical names and null for unknown zones", () => {
    expect(normaliseTimezone("utc")).toBe("UTC");
    expect(normaliseTimezone(" Europe/Berlin ")).toBe("Europe/Berlin");
    expect(normaliseTimezone("Not/AZone")).toBeNull();
  });
});

describe("nextRunAfter", () => {
  it.each([
    // Every 5 minutes: strictly after, so an exact slot moves to the next one.
    ["*/5 * * * *", "UTC", "2025-01-01T00:00:00.000Z", "2025-01-01T00:05:00.000Z"],
    ["*/5 * * * *", "UTC", "2025-01-01T00:03:10.000Z", "2025-01-01T00:05:00.000Z"],
    ["@daily", "UTC", "2025-01-01T12:00:00.000Z", "2025-01-02T00:00:00.000Z"],
    // 09:00 Berlin is 08:00Z in winter (CET) and 07:00Z from the DST switch on 2025-03-30 (CEST).
    ["0 9 * * *", "Europe/Berlin", "2025-03-28T12:00:00.000Z", "2025-03-29T08:00:00.000Z"],
    ["0 9 * * *", "Europe/Berlin", "2025-03-29T12:00:00.000Z", "2025-03-30T07:00:00.000Z"],
    // And back to 08:00Z after the switch back on 2025-10-26.
    ["0 9 * * *", "Europe/Berlin", "2025-10-25T12:00:00.000Z", "2025-10-26T08:00:00.000Z"],
    // 02:30 does not exist in Berlin on 2025-03-30; it still fires that day (not skipped a whole day).
    ["30 2 * * *", "Europe/Berlin", "2025-03-29T12:00:00.000Z", "2025-03-30T01:30:00.000Z"],
  ])("%s in %s after %s is %s", (cron, tz, after, expected) => {
    expect(nextRunAfter(cron, tz, new Date(after)).toISOString()).toBe(expected);
  });

  it("throws on an invalid expression", () => {
    expect(() => nextRunAfter("61 * * * *", "UTC", new Date())).toThrow();
  });
});
