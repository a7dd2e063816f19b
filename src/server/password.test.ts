import { describe, expect, it } from "vitest";
import { BCRYPT_COST, hashPassword, verifyPassword } from "./password";

// bcrypt at cost 12 is slow by design (~0.3 s a hash idle, seconds on a loaded machine): the hashing tests get
// a time limit that says so instead of the unit default of 5 s.
const BCRYPT_TEST_MS = 30_000;

describe("password", () => {
  it("hashes with bcrypt at cost 12 and verifies only the right password", async () => {
    const h = await hashPassword("correct horse");
    expect(h).toMatch(/^\$2[aby]\$12\$/);
    expect(BCRYPT_COST).toBe(12);
    expect(h).not.toContain("correct horse");
    expect(await verifyPassword("correct horse", h)).toBe(true);
    expect(await verifyPassword("correct hors", h)).toBe(false);
    expect(await verifyPassword("", h)).toBe(false);
  }, BCRYPT_TEST_MS);

  it("salts: the same password hashes differently each time", async () => {
    const [a, b] = await Promise.all([hashPassword("s3cret-pw"), hashPassword("s3cret-pw")]);
    expect(a).not.toBe(b);
    expect(await verifyPassword("s3cret-pw", a)).toBe(true);
    expect(await verifyPassword("s3cret-pw", b)).toBe(true);
  }, BCRYPT_TEST_MS);

  it("returns false for empty or malformed stored hashes instead of throwing", async () => {
    expect(await verifyPassword("anything", "")).toBe(false);
    expect(await verifyPassword("anything", "not-a-bcrypt-hash")).toBe(false);
  });
});
