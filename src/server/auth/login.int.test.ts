// The credentials login against real Postgres: 20 wrong passwords lock the account out (the sign-in route's
// 429 with Retry-After, the right password refused too), lockouts double, a client IP is limited across
// accounts, a success forgets an account's failures, and an unknown e-mail takes as long as a known one.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/generated/prisma/client";
import { hashPassword } from "../password";
import { checkCredentials, loginRateLimitResponse } from "./credentials";
import { clientIp, DEFAULT_LOGIN_LIMITS, LoginLimiter } from "./login-limiter";
import { createTestDatabase } from "../../../test/helpers/test-db";

let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
let db: PrismaClient;
let hash: string;

beforeAll(async () => {
  tdb = await createTestDatabase("auth/login.int.test");
  db = tdb.db;
  hash = await hashPassword("correct horse");
  for (const email of ["ann@example.com", "bob@example.com", "cy@example.com", "dee@example.com", "eve@example.com", "timing@example.com"]) {
    await db.user.create({ data: { email, passwordHash: hash } });
  }
});
afterAll(async () => {
  await tdb?.drop();
});

/** The sign-in route's order: the limiter's 429 first, then the password check. */
async function attempt(limiter: LoginLimiter, email: string, password: string, ip: string) {
  const req = new Request("http://127.0.0.1:3000/api/auth/callback/credentials", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": ip },
    body: new URLSearchParams({ email, password, csrfToken: "x" }),
  });
  const refused = await loginRateLimitResponse(req, limiter, clientIp(req.headers));
  if (refused) return { status: refused.status, retryAfter: Number(refused.headers.get("retry-after")), body: (await refused.json()) as { url: string } };
  const r = await checkCredentials(db, limiter, { email, password }, ip);
  return { status: r.status === "ok" ? 200 : 401, retryAfter: 0, body: null };
}

describe("login rate limit", () => {
  it("refuses the account with Retry-After after repeated wrong passwords (20 tries), the right one too", async () => {
    const limiter = new LoginLimiter(db);
    const results = [];
    for (let i = 0; i < 20; i++) results.push(await attempt(limiter, "ann@example.com", `wrong ${i}`, "203.0.113.7"));
    const free = DEFAULT_LOGIN_LIMITS.freeFailsPerAccount + 1; // the failure past the free ones starts the lockout
    expect(results.slice(0, free).map((r) => r.status)).toEqual(Array(free).fill(401));
    for (const r of results.slice(free)) {
      expect(r.status).toBe(429);
      expect(r.retryAfter).toBeGreaterThanOrEqual(1);
      expect(r.retryAfter).toBeLessThanOrEqual(DEFAULT_LOGIN_LIMITS.firstLockSec);
      expect(new URL(r.body!.url).searchParams.get("error")).toBe("RateLimited");
    }
    expect((await attempt(limiter, "ann@example.com", "correct horse", "203.0.113.7")).status).toBe(429);
    // Another account from another address is not affected.
    expect((await attempt(limiter, "bob@example.com", "correct horse", "198.51.100.1")).status).toBe(200);
  });

  it("doubles the lockout with each failure after it", async () => {
    const limiter = new LoginLimiter(db, { ...DEFAULT_LOGIN_LIMITS, freeFailsPerAccount: 1, firstLockSec: 1 });
    expect(await limiter.recordFailure("cy@example.com", null)).toBe(0);
    expect(await limiter.recordFailure("cy@example.com", null)).toBe(1);
    expect(await limiter.retryAfter("cy@example.com", null)).toBeGreaterThanOrEqual(1);
    await expect.poll(() => limiter.retryAfter("cy@example.com", null), { timeout: 10_000, interval: 200 }).toBe(0);
    expect((await checkCredentials(db, limiter, { email: "cy@example.com", password: "nope" }, null)).status).toBe("invalid");
    const second = await limiter.retryAfter("cy@example.com", null);
    expect(second).toBeGreaterThanOrEqual(1);
    expect(second).toBeLessThanOrEqual(2);
    expect(await limiter.recordFailure("cy@example.com", null)).toBe(4);
  });

  it("limits one client IP across accounts, not other IPs", async () => {
    const limiter = new LoginLimiter(db, { ...DEFAULT_LOGIN_LIMITS, failsPerIpPerHour: 3 });
    const ip = "192.0.2.50";
    for (const email of ["x1@example.com", "x2@example.com", "x3@example.com"]) expect((await attempt(limiter, email, "guess", ip)).status).toBe(401);
    const refused = await attempt(limiter, "dee@example.com", "correct horse", ip);
    expect(refused.status).toBe(429);
    expect(refused.retryAfter).toBeGreaterThan(60);
    expect((await attempt(limiter, "dee@example.com", "correct horse", "192.0.2.51")).status).toBe(200);
  });

  it("forgets an account's failures after a successful login", async () => {
    const limiter = new LoginLimiter(db);
    for (let i = 0; i < DEFAULT_LOGIN_LIMITS.freeFailsPerAccount; i++) expect((await attempt(limiter, "eve@example.com", "wrong", "198.51.100.9")).status).toBe(401);
    expect((await attempt(limiter, "eve@example.com", "correct horse", "198.51.100.9")).status).toBe(200);
    expect((await attempt(limiter, "eve@example.com", "wrong", "198.51.100.9")).status).toBe(401);
    expect(await limiter.retryAfter("eve@example.com", null)).toBe(0);
  });

  it("spends as long on an unknown e-mail as on a known one with a wrong password (medians within 20%)", async () => {
    const limiter = new LoginLimiter(db, { ...DEFAULT_LOGIN_LIMITS, freeFailsPerAccount: 1000, failsPerIpPerHour: 1000 });
    const time = async (email: string) => {
      const t0 = performance.now();
      expect((await checkCredentials(db, limiter, { email, password: "not it" }, null)).status).toBe("invalid");
      return performance.now() - t0;
    };
    await time("timing@example.com"); // warm-up
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 7; i++) {
      known.push(await time("timing@example.com"));
      unknown.push(await time(`nobody${i}@example.com`));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const ratio = median(unknown) / median(known);
    expect(ratio, `known ${median(known).toFixed(0)} ms, unknown ${median(unknown).toFixed(0)} ms`).toBeGreaterThan(0.8);
    expect(ratio).toBeLessThan(1.2);
  });
});
