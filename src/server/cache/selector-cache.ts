// Two-layer selector cache: L1 (Redis, or an in-process map without Redis) in front of L2 (Postgres,
// selector_cache_entries). Keyed by team + page pattern + element descriptor, never by action, so "Fill the
// Username field" and "Expect the Username field to have value …" share one entry. Only stable selectors are
// stored. A hit is NOT validated here: the executor checks it on the page (still unique, fingerprint still
// similar) and calls markStale() when it is not (docs/architecture.md: the resolve stage). L1 failures never reach the caller.
import { createHash } from "node:crypto";
import { z } from "zod";
import { Prisma, type PrismaClient } from "@/generated/prisma/client";
import type { Target } from "@/domain/step";
import type { KvStore } from "./kv";
import { recordInvalidation } from "../metrics/rollups";

export type HitSource = "redis" | "memory" | "postgres";
export type CacheSource = HitSource | "miss";

export type SelectorCacheKey = {
  teamId: string;
  /** Page pattern from toUrlPattern() in heal/resolve/url-pattern.ts. */
  urlPattern: string;
  /** Element descriptor from describeElement(). */
  elementName: string;
};

export const ZCachedSelector = z.object({
  selector: z.string().min(1),
  strategy: z.string().min(1),
  confidence: z.number(),
  /** Element fingerprint captured when the selector was found (validated by the executor). */
  fingerprint: z.unknown().nullable(),
  /** ISO time the entry was last written after a successful find. */
  verifiedAt: z.string().nullable(),
});
export type CachedSelector = z.infer<typeof ZCachedSelector>;

export type CacheGetResult = { entry: CachedSelector; source: HitSource } | { entry: null; source: "miss" };

export type CachePutInput = SelectorCacheKey & {
  selector: string;
  strategy: string;
  confidence: number;
  fingerprint?: unknown;
  /** Volatile selectors (generated ids, hashed classes, nth-chains) must not be cached. */
  stable: boolean;
};

export type CachePutResult = { stored: true } | { stored: false; reason: "volatile" };

export type LayerStats = { hits: number; misses: number; stale: number };
export type SelectorCacheStats = {
  l1: HitSource;
  layers: Record<HitSource, LayerStats>;
  /** Lookups that missed both layers. */
  misses: number;
  writes: number;
  skippedVolatile: number;
};

// ---------------------------------------------------------------------------------------------------------
// Keys

const collapse = (s: string) => s.normalize("NFKC").replace(/\s+/g, " ").trim();
/** Case- and whitespace-insensitive form of a user-written name; trailing ":" / "*" (label decorations) dropped. */
export const normaliseName = (s: string) => collapse(s).toLowerCase().replace(/[\s:*]+$/u, "");

/**
 * Action-independent descriptor of a step's target, e.g. `field:username`, `button:log in|nth=last|in=dialog:confirm`,
 * `button:"Log in"` (quoted name: exact match, case kept), `css:#main > button` (overrides kept verbatim).
 */
export function describeElement(target: Target): string {
  let base: string;
  const o = target.override;
  if (o?.type === "css") base = `css:${o.selector.trim()}`;
  else if (o?.type === "testid") base = `testid:${o.testId.trim()}`;
  else if (o?.type === "role") base = `role:${o.role.trim().toLowerCase()}${o.name !== undefined ? `=${collapse(o.name)}` : ""}`;
  else {
    const name = target.exact ? `"${collapse(target.name)}"` : normaliseName(target.name);
    base = `${target.kind ?? "any"}:${name}`;
  }
  const parts = [base];
  if (target.ordinal !== undefined) parts.push(`nth=${target.ordinal === -1 ? "last" : target.ordinal}`);
  if (target.within) parts.push(`in=${target.within.kind}:${normaliseName(target.within.name)}`);
  return parts.join("|");
}


/** One key for both layers (L1 key and L2 cache_key). Hashed: patterns and descriptors may contain any character. */
export function cacheKey(teamId: string, urlPattern: string, elementDescriptor: string): string {
  const digest = createHash("sha256").update(JSON.stringify([urlPattern.trim(), elementDescriptor.trim()])).digest("hex");
  return `sel:v1:${teamId}:${digest.slice(0, 40)}`;
}

// ---------------------------------------------------------------------------------------------------------
// Cache

export type SelectorCacheOptions = {
  db: PrismaClient;
  l1: KvStore;
  l1TtlSec?: number;
  l2TtlSec?: number;
  now?: () => Date;
};

export type SelectorCache = ReturnType<typeof createSelectorCache>;

export function createSelectorCache(opts: SelectorCacheOptions) {
  const { db, l1 } = opts;
  const l1TtlSec = opts.l1TtlSec ?? 3600;
  const l2TtlSec = opts.l2TtlSec ?? 7 * 24 * 3600;
  const now = opts.now ?? (() => new Date());
  const l1Source: HitSource = l1.name;

  const emptyLayer = (): LayerStats => ({ hits: 0, misses: 0, stale: 0 });
  const stats: SelectorCacheStats = {
    l1: l1Source,
    layers: { redis: emptyLayer(), memory: emptyLayer(), postgres: emptyLayer() },
    misses: 0,
    writes: 0,
    skippedVolatile: 0,
  };

  const keyOf = (k: SelectorCacheKey) => cacheKey(k.teamId, k.urlPattern, k.elementName);

  async function readL1(key: string): Promise<CachedSelector | null> {
    const raw = await l1.get(key);
    if (raw === null) return null;
    try {
      const parsed = ZCachedSelector.safeParse(JSON.parse(raw));
      if (parsed.success) return parsed.data;
    } catch {
      // fall through: unreadable value (older format) is a miss and gets replaced
    }
    await l1.del(key);
    return null;
  }

  async function get(k: SelectorCacheKey): Promise<CacheGetResult> {
    const key = keyOf(k);
    const fromL1 = await readL1(key);
    if (fromL1) {
      stats.layers[l1Source].hits++;
      return { entry: fromL1, source: l1Source };
    }
    stats.layers[l1Source].misses++;

    const at = now();
    // Lookup and hit counter in one statement (one round trip); expired rows do not match.
    const rows = await db.selectorCacheEntry.updateManyAndReturn({
      where: { cacheKey: key, stable: true, expiresAt: { gt: at } },
      data: { hitCount: { increment: 1 } },
      select: { selector: true, strategy: true, confidence: true, fingerprint: true, lastVerifiedAt: true, expiresAt: true },
    });
    const row = rows[0];
    if (!row) {
      stats.layers.postgres.misses++;
      stats.misses++;
      return { entry: null, source: "miss" };
    }
    stats.layers.postgres.hits++;
    const entry: CachedSelector = {
      selector: row.selector,
      strategy: row.strategy,
      confidence: row.confidence,
      fingerprint: row.fingerprint ?? null,
      verifiedAt: row.lastVerifiedAt?.toISOString() ?? null,
    };
    // Backfill L1, never outliving the L2 row.
    const remainingSec = Math.floor((row.expiresAt.getTime() - at.getTime()) / 1000);
    await l1.set(key, JSON.stringify(entry), Math.min(l1TtlSec, remainingSec));
    return { entry, source: "postgres" };
  }

  /** Writes a found or healed selector to both layers. Volatile selectors are refused. DB errors propagate. */
  async function put(input: CachePutInput): Promise<CachePutResult> {
    if (!input.stable) {
      stats.skippedVolatile++;
      return { stored: false, reason: "volatile" };
    }
    const key = keyOf(input);
    const at = now();
    const expiresAt = new Date(at.getTime() + l2TtlSec * 1000);
    const fingerprint = toJson(input.fingerprint);
    const fields = {
      cacheKey: key,
      selector: input.selector,
      strategy: input.strategy,
      confidence: input.confidence,
      fingerprint,
      stable: true,
      lastVerifiedAt: at,
      expiresAt,
    };
    await db.selectorCacheEntry.upsert({
      where: { teamId_urlPattern_elementName: { teamId: input.teamId, urlPattern: input.urlPattern, elementName: input.elementName } },
      create: { teamId: input.teamId, urlPattern: input.urlPattern, elementName: input.elementName, ...fields },
      // hit/miss counters are kept: they describe the element's history, not this selector.
      update: fields,
    });
    const entry: CachedSelector = {
      selector: input.selector,
      strategy: input.strategy,
      confidence: input.confidence,
      fingerprint: input.fingerprint ?? null,
      verifiedAt: at.toISOString(),
    };
    await l1.set(key, JSON.stringify(entry), Math.min(l1TtlSec, l2TtlSec));
    stats.writes++;
    return { stored: true };
  }

  /**
   * The executor found the cached selector no longer valid (not unique, fingerprint too different). Drops L1,
   * expires the L2 row (kept so its counters survive a re-put) and counts it as stale for the layer that served it.
   */
  async function markStale(k: SelectorCacheKey, source: HitSource): Promise<void> {
    const key = keyOf(k);
    stats.layers[source].stale++;
    await l1.del(key);
    await db.selectorCacheEntry.updateMany({
      where: { cacheKey: key },
      data: { expiresAt: now(), missCount: { increment: 1 } },
    });
  }

  /** Removes an entry from both layers (manual clear; not counted as stale). */
  async function invalidate(k: SelectorCacheKey): Promise<void> {
    const key = keyOf(k);
    await l1.del(key);
    const { count } = await db.selectorCacheEntry.deleteMany({ where: { cacheKey: key } });
    if (count > 0) await recordInvalidation(db, { teamId: k.teamId, count });
  }

  function getStats(): SelectorCacheStats {
    return structuredClone(stats);
  }

  return { get, put, markStale, invalidate, stats: getStats, l1Name: l1Source };
}

function toJson(v: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull {
  // DbNull (SQL NULL) rather than undefined, so a re-put without a fingerprint clears the old one.
  if (v === undefined || v === null) return Prisma.DbNull;
  return JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;
}
