// The role policy, proven on the real router and database: every tRPC procedure of appRouter × {anonymous,
// another team's owner, viewer, member, admin, owner} gets exactly the answer src/server/teams/policy.ts gives
// it; a procedure without a policy entry or without a case here fails this file, and so does a route handler
// file missing from ROUTE_POLICY.
import { createHash } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/generated/prisma/client";
import type { Role } from "@/generated/prisma/enums";
import { appRouter, createCaller } from "../api/root";
import { parseSteps } from "../steps/step-parser";
import { resetServerEnv } from "../env";
import { createApiToken } from "../tokens/api-token";
import { TEAM_COOKIE } from "./current-team";
import { allows, PROCEDURE_POLICY, type Requirement, ROLE_ORDER, ROUTE_POLICY } from "./policy";
import { createTestDatabase } from "../../../test/helpers/test-db";

let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
let db: PrismaClient;
const T = { id: "", testId: "", users: {} as Record<Role, { id: string; email: string }> };
let outsider: { id: string; email: string };
let n = 0;

const SOURCE = 'Expect text "Home"';
const steps = () => (parseSteps(SOURCE) as { steps: unknown[] }).steps as never;

async function freshTest() {
  return db.test.create({ data: { teamId: T.id, name: `t${++n}`, startUrl: "http://127.0.0.1:9/", source: SOURCE, steps: steps() } });
}
async function freshRun() {
  return db.run.create({ data: { teamId: T.id, testId: T.testId, testName: "policy", url: "http://127.0.0.1:9/", steps: steps(), status: "PENDING" } });
}
/** A heal of the target team's element, already approved when `approved` (so it may be rolled back). */
async function freshHeal(approved = false) {
  const run = await freshRun();
  const e = await db.healEvent.create({
    data: { runId: run.id, stepIdx: 0, elementName: `button:go ${++n}`, urlPattern: "127.0.0.1:9/", outcome: "HEALED", strategy: "role-name", oldSelector: "#old", newSelector: "#new", durationMs: 5 },
  });
  if (approved) await db.healReview.create({ data: { teamId: T.id, healEventId: e.id, decision: "APPROVED", reviewerEmail: "x@target.example" } });
  return e;
}
async function freshMember() {
  const user = await db.user.create({ data: { email: `m${++n}@target.example` } });
  await db.membership.create({ data: { userId: user.id, teamId: T.id, role: "MEMBER" } });
  return user.id;
}
let otherTeamId = "";
/** Puts a caller who left back where they were (so the next case finds the same callers). */
async function rejoin(who: Caller) {
  if (who === "anonymous") return;
  const [user, teamId, role] = who === "other team's owner" ? [outsider, otherTeamId, "OWNER" as Role] : [T.users[who], T.id, who];
  await db.membership.upsert({ where: { userId_teamId: { userId: user.id, teamId } }, create: { userId: user.id, teamId, role }, update: { role } });
}
async function freshSchedule() {
  return db.schedule.create({ data: { teamId: T.id, testId: T.testId, cron: "0 * * * *", timezone: "UTC", nextRunAt: new Date(Date.now() + 3600_000) } });
}

async function freshAlertRule() {
  return db.alertRule.create({ data: { teamId: T.id, event: "FAILURE", channel: "EMAIL", target: `a${++n}@example.com` } });
}

type Scope = "team" | "id" | "user";
/** Per procedure: what it acts on (the caller's current team, a resource of the target team by id, or the user)
 * and an input naming the target team's resources (made fresh where the call changes or deletes them). */
/** `allowed`: the answer of a caller the table lets through, when it is not plain success (a case that names a
 * resource that does not exist, to prove the role gate without side effects). */
const CASES: Record<string, { scope: Scope; input: (who: Caller) => Promise<unknown>; after?: (who: Caller) => Promise<void>; allowed?: string }> = {
  "team.current": { scope: "team", input: async () => undefined },
  "team.list": { scope: "user", input: async () => undefined },
  "team.setDemoVersion": { scope: "team", input: async () => ({ version: 2 }) },
  "test.list": { scope: "team", input: async () => undefined },
  "test.byId": { scope: "id", input: async () => ({ id: T.testId }) },
  "test.create": { scope: "team", input: async () => ({ name: `new ${++n}`, startUrl: "http://127.0.0.1:9/", source: SOURCE }) },
  "test.update": { scope: "id", input: async () => ({ id: T.testId, healPolicy: "FAIL" }) },
  "test.delete": { scope: "id", input: async () => ({ id: (await freshTest()).id }) },
  "run.list": { scope: "team", input: async () => ({}) },
  "run.byId": { scope: "id", input: async () => ({ id: (await freshRun()).id }) },
  "run.create": { scope: "id", input: async () => ({ testId: T.testId }) },
  "run.cancel": { scope: "id", input: async () => ({ id: (await freshRun()).id }) },
  "token.list": { scope: "team", input: async () => undefined },
  "token.create": { scope: "team", input: async () => ({ name: `ci ${++n}` }) },
  "token.revoke": { scope: "id", input: async () => ({ id: (await createApiToken(db, { teamId: T.id, name: `rev ${++n}` })).id }) },
  "metrics.workers": { scope: "team", input: async () => undefined },
  "metrics.overview": { scope: "team", input: async () => ({ range: "24h" }) },
  "schedule.listForTest": { scope: "id", input: async () => ({ testId: T.testId }) },
  "schedule.create": { scope: "id", input: async () => ({ testId: T.testId, cron: "30 * * * *", timezone: "UTC" }) },
  "schedule.update": { scope: "id", input: async () => ({ id: (await freshSchedule()).id, enabled: false }) },
  "schedule.delete": { scope: "id", input: async () => ({ id: (await freshSchedule()).id }) },
  "retention.get": { scope: "team", input: async () => undefined },
  "retention.set": { scope: "team", input: async () => ({ runDays: 30, healEventDays: 30 }) },
  "alert.list": { scope: "team", input: async () => undefined },
  "alert.deliveries": { scope: "team", input: async () => undefined },
  "alert.create": { scope: "team", input: async () => ({ testId: null, event: "FAILURE", threshold: 1, channel: "EMAIL", target: "oncall@example.com" }) },
  "alert.update": { scope: "id", input: async () => ({ id: (await freshAlertRule()).id, enabled: false }) },
  "alert.delete": { scope: "id", input: async () => ({ id: (await freshAlertRule()).id }) },
  // An e-mail rule with no SMTP_URL: the attempt is logged as failed without any network traffic.
  "alert.sendTest": { scope: "id", input: async () => ({ id: (await freshAlertRule()).id }) },
  "member.list": { scope: "team", input: async () => undefined },
  "member.setRole": { scope: "id", input: async () => ({ userId: await freshMember(), role: "VIEWER" }) },
  "member.remove": { scope: "id", input: async () => ({ userId: await freshMember() }) },
  // Every caller leaves their current team (each team has a second owner, so even an owner may) and rejoins.
  "member.leave": { scope: "team", input: async () => undefined, after: rejoin },
  "member.createTeam": { scope: "user", input: async () => ({ name: `Team ${++n}` }) },
  "review.list": { scope: "team", input: async () => ({}) },
  "review.forRun": { scope: "id", input: async () => ({ runId: (await freshRun()).id }) },
  "review.approve": { scope: "id", input: async () => ({ healEventId: (await freshHeal()).id }) },
  "review.reject": { scope: "id", input: async () => ({ healEventId: (await freshHeal()).id, reason: "wrong element" }) },
  "review.rollback": { scope: "id", input: async () => ({ healEventId: (await freshHeal(true)).id }) },
  "member.invite": { scope: "team", input: async () => ({ email: `invitee${++n}@example.com`, role: "VIEWER" }) },
  "member.invitations": { scope: "team", input: async () => undefined },
  // An invitation to the target team for the caller's own e-mail; someone who joined through it leaves again.
  "member.acceptInvite": {
    scope: "user",
    input: async (who) => {
      const token = `invite-token-${++n}-${"x".repeat(20)}`;
      const email = who === "anonymous" ? "nobody@example.com" : who === "other team's owner" ? outsider.email : T.users[who].email;
      await db.invitation.create({ data: { teamId: T.id, email, role: "VIEWER", tokenHash: createHash("sha256").update(token).digest("hex"), expiresAt: new Date(Date.now() + 3600_000) } });
      return { token };
    },
    after: async (who) => {
      if (who === "other team's owner") await db.membership.deleteMany({ where: { userId: outsider.id, teamId: T.id } });
    },
  },
};

type Caller = "anonymous" | "other team's owner" | Role;
const CALLERS: Caller[] = ["anonymous", "other team's owner", ...ROLE_ORDER];

function expected(requirement: Requirement, scope: Scope, who: Caller, allowed = "OK"): string {
  if (who === "anonymous") return "UNAUTHORIZED";
  if (who === "other team's owner") return scope === "id" ? "NOT_FOUND" : allowed;
  return allows(who, requirement) ? allowed : "FORBIDDEN";
}

function callerFor(who: Caller) {
  const user = who === "anonymous" ? null : who === "other team's owner" ? outsider : T.users[who];
  // Everyone asks for the target team; someone not in it gets their own team (current-team.ts).
  const headers = new Headers({ cookie: `${TEAM_COOKIE}=${T.id}` });
  return createCaller({ db, session: user ? { user } : null, headers });
}

async function answer(who: Caller, procedure: string, input: unknown): Promise<{ code: string; result?: unknown }> {
  const [ns, name] = procedure.split(".") as [string, string];
  const fn = (callerFor(who) as unknown as Record<string, Record<string, (i: unknown) => Promise<unknown>>>)[ns]![name]!;
  try {
    return { code: "OK", result: await fn(input) };
  } catch (err) {
    if (err instanceof TRPCError) return { code: err.code === "INTERNAL_SERVER_ERROR" ? `${err.code}: ${err.message}` : err.code };
    throw err;
  }
}

beforeAll(async () => {
  tdb = await createTestDatabase("teams/policy.int.test");
  db = tdb.db;
  // (Saving a test and starting a run read the URL policy from the server environment.)
  process.env.DATABASE_URL = tdb.url;
  resetServerEnv();
  T.id = (await db.team.create({ data: { name: "Target", slug: "target" } })).id;
  for (const role of ROLE_ORDER) {
    const user = await db.user.create({ data: { email: `${role.toLowerCase()}@target.example` }, select: { id: true, email: true } });
    await db.membership.create({ data: { userId: user.id, teamId: T.id, role } });
    T.users[role] = user;
  }
  T.testId = (await freshTest()).id;
  const other = await db.team.create({ data: { name: "Other", slug: "other" } });
  outsider = await db.user.create({ data: { email: "owner@other.example" }, select: { id: true, email: true } });
  await db.membership.create({ data: { userId: outsider.id, teamId: other.id, role: "OWNER" } });
  otherTeamId = other.id;
  // A second owner in each team, so an owner leaving is not the last one.
  for (const teamId of [T.id, other.id]) {
    const co = await db.user.create({ data: { email: `co-owner-${teamId}@example.com` } });
    await db.membership.create({ data: { userId: co.id, teamId, role: "OWNER" } });
  }
});
afterAll(async () => {
  await tdb?.drop();
});

const procedures = Object.keys((appRouter as unknown as { _def: { procedures: Record<string, unknown> } })._def.procedures).sort();

describe("role policy table", () => {
  it("has an entry and a case for every procedure of appRouter, and no stale ones", () => {
    expect(procedures.filter((p) => !(p in PROCEDURE_POLICY))).toEqual([]);
    expect(procedures.filter((p) => !(p in CASES))).toEqual([]);
    expect(Object.keys(PROCEDURE_POLICY).filter((p) => !procedures.includes(p))).toEqual([]);
  });

  it("has an entry for every route handler file", () => {
    const appDir = path.resolve(import.meta.dirname, "../../app");
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) => {
        const full = path.join(dir, f);
        return statSync(full).isDirectory() ? walk(full) : f === "route.ts" ? [path.relative(appDir, full).split(path.sep).join("/")] : [];
      });
    const routes = walk(appDir).sort();
    expect(routes.filter((r) => !(r in ROUTE_POLICY))).toEqual([]);
    expect(Object.keys(ROUTE_POLICY).filter((r) => !routes.includes(r))).toEqual([]);
  });
});

describe.each(procedures)("%s", (procedure) => {
  const requirement = (PROCEDURE_POLICY as Record<string, Requirement>)[procedure];
  const c = CASES[procedure];
  it.each(CALLERS)("answers %s as the table says", async (who) => {
    expect(requirement, `no policy entry for ${procedure}`).toBeDefined();
    expect(c, `no case for ${procedure} in this test`).toBeDefined();
    const got = await answer(who, procedure, await c!.input(who));
    await c!.after?.(who);
    expect(got.code).toBe(expected(requirement!, c!.scope, who, c!.allowed));
    // Another team's owner acting on their own team sees nothing of the target team.
    if (who === "other team's owner" && got.code === "OK" && procedure !== "member.acceptInvite") expect(JSON.stringify(got.result ?? null)).not.toContain(T.id);
  });
});
