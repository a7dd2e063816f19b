import { describe, expect, it } from "vitest";
import { BCRYPT_COST, hashPassword, verifyPassword } from "./password";

describe("password", () => {
  it("hashes with bcrypt at cost 12 and verifies only the right password", async () => {
    const h = await hashPassword("correct horse");
    expect(h).toMatch(/^\$2[aby]\$12\$/);
    expect(BCRYPT_COST).toBe(12);
    expect(h).not.toContain("correct horse");
    expect(await verifyPassword("correct horse", h)).toBe(true);
    expect(await verifyPassword("correct hors", h)).toBe(false);
    expect(await verifyPassword("", h)).toBe(false);
  });

  it("salts: the same password hashes differently each time", async () => {
    const [a, b] = await Promise.all([hashPassword("s3cret-pw"), hashPassword("s3cret-pw")]);
    expect(a).not.toBe(b);
    expect(await verifyPassword("s3cret-pw", a)).toBe(true);
    expect(await verifyPassword("s3cret-pw", b)).toBe(true);
  });

  it("returns false for empty or malformed stored hashes instead of throwing", async () => {
    expect(await verifyPassword("anything", "")).toBe(false);
    expect(await verifyPassword("anything", "not-a-bcrypt-hash")).toBe(false);
  });
});
