// Server components call procedures directly through a caller; no HTTP round trip. Imports next/headers,
// so it fails loudly if a client component or the worker ever pulls it in.
import { TRPCError } from "@trpc/server";
import { headers } from "next/headers";
import { cache } from "react";
import { createCaller } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";
import { getSession } from "@/server/auth";
import { getDb } from "@/server/db";

export const getServerCaller = cache(async () => {
  const h = new Headers(await headers());
  return createCaller(createTRPCContext({ db: getDb(), session: await getSession(), headers: h }));
});

/** Runs a caller query and maps NOT_FOUND (including another team's rows) to `null` for notFound(). */
export async function findOrNull<T>(query: Promise<T>): Promise<T | null> {
  try {
    return await query;
  } catch (err) {
    if (err instanceof TRPCError && err.code === "NOT_FOUND") return null;
    throw err;
  }
}
