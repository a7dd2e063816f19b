// Login rate limiting, shared by every web instance through Postgres (rate-limiter-flexible's Prisma store on
// the rate_limits table). Per account: a few free failures, then a lockout that doubles with each further
// failure (15 s, 30 s, 1 min ... 15 min), cleared by a successful login. Per client IP: at most 50 failures an
// hour across all accounts, then that IP waits out the hour. A locked caller is refused before any password is
// checked, with the seconds to wait (Retry-After). No Next or next-auth imports: route handlers and tests use it.
import { RateLimiterPrisma, type RateLimiterRes } from "rate-limiter-flexible";
import type { PrismaClient } from "@/generated/prisma/client";

export type LoginLimits = {
  /** Failures per account (in an hour) before the first lockout. */
  freeFailsPerAccount: number;
  firstLockSec: number;
  maxLockSec: number;
  /** Failures per client IP an hour, all accounts together. */
  failsPerIpPerHour: number;
};

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { freeFailsPerAccount: 5, firstLockSec: 15, maxLockSec: 900, failsPerIpPerHour: 50 };

const HOUR_SEC = 3600;
const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
const ipKey = (ip: string) => `ip:${ip}`;

export class LoginLimiter {
  private readonly fails: RateLimiterPrisma;
  private readonly locks: RateLimiterPrisma;

  constructor(
    db: PrismaClient,
    readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS,
  ) {
    const common = { storeClient: db, tableName: "rateLimit", clearExpiredByTimeout: false };
    this.fails = new RateLimiterPrisma({ ...common, keyPrefix: "login-fail", points: 1_000_000, duration: HOUR_SEC });
    this.locks = new RateLimiterPrisma({ ...common, keyPrefix: "login-lock", points: 1, duration: 1 });
  }

  /** Seconds until this account and IP may try again; 0 when they may now. */
  async retryAfter(email: string, ip: string | null): Promise<number> {
    const [account, client] = await Promise.all([this.locks.get(accountKey(email)), ip ? this.locks.get(ipKey(ip)) : null]);
    const locked = [account, client].filter((r): r is RateLimiterRes => !!r && r.consumedPoints > 1);
    return Math.ceil(Math.max(0, ...locked.map((r) => r.msBeforeNext)) / 1000);
  }

  /** Counts a failed login; returns the lockout it started, in seconds (0: none yet). */
  async recordFailure(email: string, ip: string | null): Promise<number> {
    const { freeFailsPerAccount, firstLockSec, maxLockSec, failsPerIpPerHour } = this.limits;
    let lockSec = 0;
    const account = await this.fails.penalty(accountKey(email), 1);
    const over = account.consumedPoints - freeFailsPerAccount;
    if (over > 0) {
      lockSec = Math.min(firstLockSec * 2 ** (over - 1), maxLockSec);
      await this.locks.block(accountKey(email), lockSec);
    }
    if (ip) {
      const client = await this.fails.penalty(ipKey(ip), 1);
      if (client.consumedPoints >= failsPerIpPerHour) {
        const ipLock = Math.max(1, Math.ceil(client.msBeforeNext / 1000));
        await this.locks.block(ipKey(ip), ipLock);
        lockSec = Math.max(lockSec, ipLock);
      }
    }
    return lockSec;
  }

  /** A successful login forgets the account's failures (not the IP's). */
  async recordSuccess(email: string): Promise<void> {
    await this.fails.delete(accountKey(email));
  }
}

/** The client's address as the nearest proxy saw it (the last X-Forwarded-For entry), else X-Real-IP. */
export function clientIp(headers: Headers | Record<string, string | string[] | undefined>): string | null {
  const get = (name: string): string | undefined => {
    if (headers instanceof Headers) return headers.get(name) ?? undefined;
    const v = headers[name];
    return Array.isArray(v) ? v.join(",") : v;
  };
  const forwarded = get("x-forwarded-for")?.split(",").map((s) => s.trim()).filter(Boolean).pop();
  const ip = forwarded ?? get("x-real-ip")?.trim();
  return ip ? ip.slice(0, 100) : null;
}
