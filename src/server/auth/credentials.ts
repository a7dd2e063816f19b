// Checking an e-mail and password for the credentials login, with the login rate limit (login-limiter.ts).
// An unknown e-mail (or an account without a password yet) costs the same bcrypt comparison as a wrong
// password, so answer times do not tell which e-mails have accounts.
import { z } from "zod";
import type { PrismaClient } from "@/generated/prisma/client";
import { verifyPassword } from "../password";
import { type LoginLimiter } from "./login-limiter";

/** A bcrypt hash (cost 12, as password.ts makes) of a random string nobody knows. */
const DUMMY_HASH = "$2b$12$xolc/Y4UMemnSw.vqRwPMendhiNPVVmdRzQD2HOISWuIDnaUgUqt2";

export const ZCredentials = z.object({ email: z.string().trim().toLowerCase().email().max(320), password: z.string().min(1).max(1024) });

export type CredentialsResult =
  | { status: "ok"; user: { id: string; email: string; name: string | null } }
  | { status: "invalid" }
  | { status: "limited"; retryAfterSec: number };

export async function checkCredentials(db: PrismaClient, limiter: LoginLimiter, raw: unknown, ip: string | null): Promise<CredentialsResult> {
  const parsed = ZCredentials.safeParse(raw);
  if (!parsed.success) return { status: "invalid" };
  const { email, password } = parsed.data;
  const retryAfterSec = await limiter.retryAfter(email, ip);
  if (retryAfterSec > 0) return { status: "limited", retryAfterSec };
  const user = await db.user.findUnique({ where: { email }, select: { id: true, email: true, name: true, passwordHash: true } });
  const matches = await verifyPassword(password, user?.passwordHash || DUMMY_HASH);
  if (!user?.passwordHash || !matches) {
    await limiter.recordFailure(email, ip);
    return { status: "invalid" };
  }
  await limiter.recordSuccess(email);
  return { status: "ok", user: { id: user.id, email: user.email, name: user.name } };
}

/**
 * For the credentials sign-in POST (a form body with `email`): the 429 to send, with Retry-After, while the
 * account or the client IP is locked out; null to go on. The body keeps the shape next-auth's client reads
 * (`{url}` with an `error` parameter), so the login form can say why.
 */
export async function loginRateLimitResponse(req: Request, limiter: LoginLimiter, ip: string | null): Promise<Response | null> {
  const form = await req.clone().formData().catch(() => null);
  const email = form?.get("email");
  if (typeof email !== "string" || email.length > 320) return null;
  const retryAfterSec = await limiter.retryAfter(email, ip);
  if (retryAfterSec <= 0) return null;
  const url = new URL("/login?error=RateLimited", req.url).toString();
  return new Response(JSON.stringify({ url, error: "RateLimited", retryAfterSec }), {
    status: 429,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", "Retry-After": String(retryAfterSec) },
  });
}
