// Team API tokens for the REST API and CI (`pacts trigger`). A token is `pacts_` + 32 random bytes (base64url);
// only its sha256 is stored, so a database leak does not leak usable tokens. Lookup is by that hash through a
// unique index: the secret is never compared byte by byte in JS, so response timing says nothing about how
// much of a guessed token was right.
import type { Role } from "@/generated/prisma/enums";
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import type { PrismaClient } from "@/generated/prisma/client";
import { AppError } from "../errors";

export const TOKEN_PREFIX = "pacts_";
/** Characters of the token kept in clear to tell tokens apart in the UI ("pacts_" + 6). */
export const TOKEN_DISPLAY_PREFIX_LENGTH = 12;
/** 32 random bytes are 43 base64url characters (no padding). */
const TOKEN_RE = /^pacts_[A-Za-z0-9_-]{43}$/;
/** lastUsedAt is a hint for humans ("is this token still used?"); one write a minute per token is plenty. */
export const LAST_USED_RESOLUTION_MS = 60_000;
/**
 * A verified token is remembered this long, so a CI job or dashboard polling the API does not cost a database
 * lookup per request (under load the lookup was most of a metrics request's cost). Revoking through this
 * process forgets it at once; a revocation made elsewhere (another web instance, SQL) applies within this time.
 * Unknown, malformed and revoked tokens are never remembered.
 */
export const VERIFIED_TOKEN_CACHE_MS = 5_000;
const VERIFIED_TOKEN_CACHE_MAX = 1_000;

type VerifiedToken = { teamId: string; tokenId: string; role: Role; lastUsedAt: Date | null; at: number };
// On globalThis: Next may load this module once per route bundle, and a revoke must reach every copy.
const globalForTokens = globalThis as unknown as { pactsVerifiedTokens?: Map<string, VerifiedToken> };
function verifiedTokens(): Map<string, VerifiedToken> {
  return (globalForTokens.pactsVerifiedTokens ??= new Map());
}
function forgetToken(tokenId: string): void {
  const cache = verifiedTokens();
  for (const [hash, v] of cache) if (v.tokenId === tokenId) cache.delete(hash);
}

export const ZApiTokenName = z.string().trim().min(1, "Name is required").max(100);

export function generateApiToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString("base64url");
}

export function hashApiToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function isWellFormedToken(token: string): boolean {
  return TOKEN_RE.test(token);
}

/** The token from an `Authorization: Bearer <token>` header, or null when absent or malformed. */
export function parseBearer(header: string | null | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(header.trim());
  return match?.[1] ?? null;
}

export async function createApiToken(
  db: PrismaClient,
  input: { teamId: string; name: string; createdById?: string; role?: Role },
): Promise<{ id: string; token: string; prefix: string; name: string; role: Role }> {
  const name = ZApiTokenName.parse(input.name);
  const token = generateApiToken();
  const row = await db.apiToken.create({
    data: {
      teamId: input.teamId,
      createdById: input.createdById ?? null,
      name,
      tokenHash: hashApiToken(token),
      prefix: token.slice(0, TOKEN_DISPLAY_PREFIX_LENGTH),
      role: input.role ?? "MEMBER",
    },
    select: { id: true, prefix: true, name: true, role: true },
  });
  return { ...row, token };
}

/** The team a request's bearer token belongs to, or null (missing, malformed, unknown or revoked token). */
export async function verifyApiToken(
  db: PrismaClient,
  authorizationHeader: string | null,
  now: Date = new Date(),
): Promise<{ teamId: string; tokenId: string; role: Role } | null> {
  const token = parseBearer(authorizationHeader);
  if (!token || !isWellFormedToken(token)) return null;
  const hash = hashApiToken(token);
  const cache = verifiedTokens();
  let known = cache.get(hash);
  const age = known ? now.getTime() - known.at : Infinity;
  if (!known || age < 0 || age >= VERIFIED_TOKEN_CACHE_MS) {
    const row = await db.apiToken.findUnique({ where: { tokenHash: hash }, select: { id: true, teamId: true, role: true, revokedAt: true, lastUsedAt: true } });
    cache.delete(hash);
    if (!row || row.revokedAt) return null;
    known = { teamId: row.teamId, tokenId: row.id, role: row.role, lastUsedAt: row.lastUsedAt, at: now.getTime() };
    if (cache.size >= VERIFIED_TOKEN_CACHE_MAX) cache.delete(cache.keys().next().value as string);
    cache.set(hash, known);
  }
  const staleBefore = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  if (!known.lastUsedAt || known.lastUsedAt < staleBefore) {
    known.lastUsedAt = now;
    // Compare-and-set so concurrent requests (and other processes) in the same minute write once.
    await db.apiToken.updateMany({
      where: { id: known.tokenId, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: staleBefore } }] },
      data: { lastUsedAt: now },
    });
  }
  return { teamId: known.teamId, tokenId: known.tokenId, role: known.role };
}

export type ApiTokenListItem = {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdBy: string | null;
};

export async function listApiTokens(db: PrismaClient, teamId: string): Promise<ApiTokenListItem[]> {
  const rows = await db.apiToken.findMany({
    where: { teamId },
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    select: {
      id: true,
      name: true,
      prefix: true,
      role: true,
      createdAt: true,
      lastUsedAt: true,
      revokedAt: true,
      createdBy: { select: { email: true } },
    },
  });
  return rows.map(({ createdBy, ...r }) => ({ ...r, createdBy: createdBy?.email ?? null }));
}

/** Revokes a token of the team. Idempotent; a token of another team is "not found". */
export async function revokeApiToken(db: PrismaClient, input: { teamId: string; id: string }): Promise<{ id: string; revokedAt: Date }> {
  const now = new Date();
  await db.apiToken.updateMany({ where: { id: input.id, teamId: input.teamId, revokedAt: null }, data: { revokedAt: now } });
  forgetToken(input.id);
  const row = await db.apiToken.findFirst({ where: { id: input.id, teamId: input.teamId }, select: { id: true, revokedAt: true } });
  if (!row?.revokedAt) throw new AppError("NOT_FOUND", "Token not found");
  return { id: row.id, revokedAt: row.revokedAt };
}
