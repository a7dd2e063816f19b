// The one role policy: which role a tRPC procedure or route handler needs at least. Roles rank VIEWER < MEMBER <
// ADMIN < OWNER (viewer: read; member: write tests, run; admin: schedules, tokens, members, retention, alerts;
// owner: the team itself). tRPC enforces the table in one middleware (api/trpc.ts), which refuses a procedure
// with no entry; the route handlers check the same table through `allows`; src/server/teams/policy.int.test.ts
// walks the router and proves every entry for every kind of caller. docs/security.md shows the table.
import type { Role } from "@/generated/prisma/enums";

export const ROLE_ORDER = ["VIEWER", "MEMBER", "ADMIN", "OWNER"] as const satisfies readonly Role[];

/** SIGNED_IN: any signed-in user, no team needed (e.g. the list of one's own teams). */
export type Requirement = "SIGNED_IN" | Role;

export function roleAtLeast(role: Role, least: Role): boolean {
  return ROLE_ORDER.indexOf(role) >= ROLE_ORDER.indexOf(least);
}

export const PROCEDURE_POLICY = {
  "team.current": "VIEWER",
  "team.list": "SIGNED_IN",
  "team.setDemoVersion": "ADMIN",
  "test.list": "VIEWER",
  "test.byId": "VIEWER",
  "test.create": "MEMBER",
  "test.update": "MEMBER",
  // Deleting a test deletes its schedules, which only admins manage.
  "test.delete": "ADMIN",
  "run.list": "VIEWER",
  "run.byId": "VIEWER",
  "run.create": "MEMBER",
  "run.cancel": "MEMBER",
  // Members see which tokens exist (prefixes only) for their CI; only admins make or revoke them.
  "token.list": "MEMBER",
  "token.create": "ADMIN",
  "token.revoke": "ADMIN",
  "metrics.workers": "VIEWER",
  "metrics.overview": "VIEWER",
  "schedule.listForTest": "VIEWER",
  "schedule.create": "ADMIN",
  "schedule.update": "ADMIN",
  "schedule.delete": "ADMIN",
  "retention.get": "ADMIN",
  "retention.set": "ADMIN",
  // Everyone in the team sees the rules and the delivery log (webhook URLs shortened); admins edit and test.
  "alert.list": "VIEWER",
  "alert.deliveries": "VIEWER",
  "alert.create": "ADMIN",
  "alert.update": "ADMIN",
  "alert.delete": "ADMIN",
  "alert.sendTest": "ADMIN",
  "member.list": "VIEWER",
  "member.setRole": "ADMIN",
  "member.remove": "ADMIN",
  // Anyone may leave (the last owner cannot: teams/members.ts).
  "member.leave": "VIEWER",
  "member.createTeam": "SIGNED_IN",
  "member.invite": "ADMIN",
  "member.invitations": "ADMIN",
  // Any signed-in user, for an invitation sent to their own e-mail (teams/invitations.ts).
  "member.acceptInvite": "SIGNED_IN",
  // Heal review (src/server/review/review.ts): everyone sees the queue and the decisions; members decide.
  "review.list": "VIEWER",
  "review.forRun": "VIEWER",
  "review.approve": "MEMBER",
  "review.reject": "MEMBER",
  "review.rollback": "MEMBER",
} as const satisfies Record<string, Requirement>;

/**
 * Route handlers (src/app/**\/route.ts) by file, with what their caller needs: a session member's or an API
 * token's role, "PUBLIC" for the ones anyone may call (sign-in, the bundled demo site) and "DELEGATES" for the
 * tRPC endpoint, whose procedures are in PROCEDURE_POLICY. A route file without an entry fails the policy test.
 */
export const ROUTE_POLICY = {
  "api/auth/[...nextauth]/route.ts": "PUBLIC",
  "api/trpc/[trpc]/route.ts": "DELEGATES",
  "api/artifacts/[id]/route.ts": "VIEWER",
  "api/metrics/route.ts": "VIEWER",
  "api/metrics/[kind]/route.ts": "VIEWER",
  "api/v1/runs/route.ts": "MEMBER",
  "api/v1/runs/[id]/route.ts": "VIEWER",
  "api/v1/artifacts/[id]/route.ts": "VIEWER",
  "api/runs/[id]/trace/[[...path]]/route.ts": "VIEWER",
  "demo/login/route.ts": "PUBLIC",
  // Accepting an invitation as a new user (the token is the credential).
  "api/invitations/accept/route.ts": "PUBLIC",
} as const satisfies Record<string, Requirement | "PUBLIC" | "DELEGATES">;

export type ProcedurePath = keyof typeof PROCEDURE_POLICY;

const RANK: Record<Requirement, number> = { SIGNED_IN: -1, VIEWER: 0, MEMBER: 1, ADMIN: 2, OWNER: 3 };

/**
 * The procedure's requirement, or undefined when the table has no entry (the caller must refuse). A caller made
 * from one sub-router (tests: createCallerFactory(testRouter)) sees paths without the router's name ("create");
 * those get the strictest requirement of every procedure with that name, so such a caller is never let through
 * where the full path would not be.
 */
export function procedureRequirement(path: string): Requirement | undefined {
  const table = PROCEDURE_POLICY as Record<string, Requirement>;
  if (table[path] || path.includes(".")) return table[path];
  const same = Object.entries(table).filter(([p]) => p.endsWith(`.${path}`)).map(([, r]) => r);
  return same.length ? same.reduce((a, b) => (RANK[b] > RANK[a] ? b : a)) : undefined;
}

/** Whether `role` meets `requirement` (SIGNED_IN: any role, as any signed-in user). */
export function allows(role: Role, requirement: Requirement): boolean {
  return requirement === "SIGNED_IN" || roleAtLeast(role, requirement);
}
