// Web-only environment (next-auth). Shared server settings live in src/server/env.ts and are re-exported
// here so web code has one import. Parsed lazily: `next build` imports route modules while collecting page
// data, and the build must not need the runtime secret.
import { z } from "zod";

export { serverEnv } from "@/server/env";

const emptyAsUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

const ZWebEnv = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  NEXTAUTH_SECRET: z.preprocess(emptyAsUndefined, z.string().min(16).optional()),
  NEXTAUTH_URL: z.preprocess(emptyAsUndefined, z.string().url().optional()),
  /** Set by Next while `next build` runs. */
  NEXT_PHASE: z.string().optional(),
});

export type WebEnv = { nodeEnv: string; nextAuthSecret: string | undefined; nextAuthUrl: string | undefined };

// Only under `next dev` (NODE_ENV=development, which `next start` and `next build` never set): a fixed secret is
// fine there because nothing it signs leaves the machine. Anywhere else sessions need NEXTAUTH_SECRET.
const DEV_SECRET = "pacts-development-secret-not-for-production";

let cached: WebEnv | undefined;

/** For tests that change process.env between cases. */
export function resetWebEnv(): void {
  cached = undefined;
}

export function webEnv(): WebEnv {
  if (cached) return cached;
  const parsed = ZWebEnv.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid web environment:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const isBuild = e.NEXT_PHASE === "phase-production-build";
  if (e.NODE_ENV === "production" && !e.NEXTAUTH_SECRET && !isBuild) {
    throw new Error("NEXTAUTH_SECRET is required in production (scripts/start.ts generates and persists one)");
  }
  cached = {
    nodeEnv: e.NODE_ENV,
    nextAuthSecret: e.NEXTAUTH_SECRET ?? (e.NODE_ENV === "development" ? DEV_SECRET : undefined),
    nextAuthUrl: e.NEXTAUTH_URL,
  };
  return cached;
}
