// The only module that deals with tRPC internals: context, transformer, error mapping and the procedure
// builders. It does not import next/* or next-auth: the route handler resolves the session and passes it in,
// so routers can be called from tests with a plain context.
import { initTRPC, TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import superjson from "superjson";
import { z, ZodError } from "zod";
import type { Db } from "@/server/db";
import { AppError, type AppErrorCode } from "@/server/errors";
import { logger } from "@/server/logger";
import type { Role } from "@/generated/prisma/enums";
import { resolveCurrentTeam } from "@/server/teams/current-team";
import { allows, procedureRequirement } from "@/server/teams/policy";

export type SessionUser = { id: string; email: string; name?: string | null };
export type ContextSession = { user: SessionUser } | null;

export type TRPCContext = { db: Db; session: ContextSession; headers: Headers };

export function createTRPCContext(opts: TRPCContext): TRPCContext {
  return opts;
}

export { TEAM_COOKIE, type CurrentTeam } from "@/server/teams/current-team";

const APP_TO_TRPC: Record<AppErrorCode, TRPC_ERROR_CODE_KEY> = {
  NOT_FOUND: "NOT_FOUND",
  FORBIDDEN: "FORBIDDEN",
  UNAUTHORIZED: "UNAUTHORIZED",
  BAD_REQUEST: "BAD_REQUEST",
  CONFLICT: "CONFLICT",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  INTERNAL: "INTERNAL_SERVER_ERROR",
};

const t = initTRPC.context<TRPCContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    // Unexpected errors (a failed query, a bug) are logged server-side; the client never sees their text.
    const isUnexpected = error.code === "INTERNAL_SERVER_ERROR" && !(cause instanceof AppError);
    return {
      ...shape,
      message: isUnexpected ? "Something went wrong on our side. Please try again." : shape.message,
      data: {
        ...shape.data,
        zodError: cause instanceof ZodError ? z.flattenError(cause) : null,
        // Structured details for forms (e.g. step parse errors with line numbers).
        details: cause instanceof AppError ? (cause.details ?? null) : null,
      },
    };
  },
});

export const createCallerFactory = t.createCallerFactory;
export const createTRPCRouter = t.router;

/** Maps AppError thrown by server modules to TRPCError in one place; logs unexpected errors. */
const errorMapping = t.middleware(async ({ next, path, type }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  if (cause instanceof AppError) {
    throw new TRPCError({ code: APP_TO_TRPC[cause.code], message: cause.message, cause });
  }
  if (result.error.code === "INTERNAL_SERVER_ERROR") {
    logger.error({ err: result.error, path, type }, "tRPC procedure failed");
  }
  return result;
});

export const publicProcedure = t.procedure.use(errorMapping);

/** Signed in, and the procedure has an entry in the role policy (src/server/teams/policy.ts): one without is
 * refused for everyone, so a new procedure cannot ship unguarded. */
export const protectedProcedure = publicProcedure.use(({ ctx, next, path }) => {
  if (!procedureRequirement(path)) {
    logger.error({ path }, "tRPC procedure without an entry in the role policy");
    throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: `No role policy for ${path}` });
  }
  if (!ctx.session?.user?.id) throw new TRPCError({ code: "UNAUTHORIZED" });
  return next({ ctx: { ...ctx, session: ctx.session, user: ctx.session.user } });
});

const ROLE_NAMES: Record<Role, string> = { VIEWER: "viewers", MEMBER: "members", ADMIN: "admins", OWNER: "owners" };

/** Every team-scoped procedure: ctx.team is a team the caller belongs to, with at least the policy's role. */
export const teamProcedure = protectedProcedure.use(async ({ ctx, next, path }) => {
  const team = await resolveCurrentTeam(ctx.db, ctx.user.id, ctx.headers);
  if (!team) throw new TRPCError({ code: "FORBIDDEN", message: "You are not a member of any team" });
  const least = procedureRequirement(path)!;
  if (!allows(team.role, least)) {
    const who = least === "SIGNED_IN" ? "" : ROLE_NAMES[least];
    throw new TRPCError({ code: "FORBIDDEN", message: `Only team ${who}${least === "OWNER" ? "" : " and above"} can do this (you are a ${team.role.toLowerCase()})` });
  }
  return next({ ctx: { ...ctx, team } });
});

/** The same as teamProcedure (the policy table decides); kept as a visible mark on admin-only procedures. */
export const teamAdminProcedure = teamProcedure;
