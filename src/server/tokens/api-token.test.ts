import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateApiToken, hashApiToken, isWellFormedToken, parseBearer, TOKEN_DISPLAY_PREFIX_LENGTH } from "./api-token";

describe("generateApiToken", () => {
  it("is pacts_ + 32 random bytes in base64url", () => {
    const token = generateApiToken();
    expect(token).toMatch(/^pacts_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.slice("pacts_".length), "base64url")).toHaveLength(32);
    expect(isWellFormedToken(token)).toBe(true);
  });

  it("never repeats", () => {
    const tokens = new Set(Array.from({ length: 200 }, generateApiToken));
    expect(tokens.size).toBe(200);
  });

  it("shows a 12-character prefix that is the scheme plus 6 secret characters", () => {
    expect(TOKEN_DISPLAY_PREFIX_LENGTH).toBe(12);
    expect(generateApiToken().slice(0, TOKEN_DISPLAY_PREFIX_LENGTH)).toMatch(/^pacts_[A-Za-z0-9_-]{6}$/);
  });
});

describe("hashApiToken", () => {
  it("is the sha256 hex of the whole token", () => {
    const token = "pacts_" + "a".repeat(43);
    expect(hashApiToken(token)).toBe(createHash("sha256").update(token).digest("hex"));
    expect(hashApiToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiToken(token)).not.toBe(hashApiToken(token.slice(0, -1) + "b"));
  });
});

describe("isWellFormedToken", () => {
  it.each([
    ["pacts_" + "A".repeat(43), true],
    ["pacts_" + "A".repeat(42), false],
    ["pacts_" + "A".repeat(44), false],
    ["pact_" + "A".repeat(44), false],
    ["pacts_" + "A".repeat(42) + "=", false],
    ["pacts_" + "A".repeat(42) + "+", false],
    ["", false],
  ])("%s -> %s", (token, ok) => {
    expect(isWellFormedToken(token)).toBe(ok);
  });
});

describe("parseBearer", () => {
  it.each([
    ["Bearer abc", "abc"],
    ["bearer abc", "abc"],
    ["BEARER   abc  ", "abc"],
    ["  Bearer abc", "abc"],
    ["Bearer", null],
    ["Bearer ", null],
    ["Basic abc", null],
    ["Bearer abc def", null],
    ["Bearerabc", null],
    ["abc", null],
    ["", null],
  ])("%j -> %j", (header, token) => {
    expect(parseBearer(header)).toBe(token);
  });

  it("handles a missing header", () => {
    expect(parseBearer(null)).toBeNull();
    expect(parseBearer(undefined)).toBeNull();
  });
});
