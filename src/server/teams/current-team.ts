// Which team a signed-in user is acting for: the `pacts_team` cookie when it names one of their teams, else the
// team they joined first. Shared by the tRPC context and the route handlers that take a browser session
// (metrics JSON), so both always agree; no Next or tRPC imports.
import type { PrismaClient } from "@/generated/prisma/client";
import type { Role } from "@/generated/prisma/enums";

export const TEAM_COOKIE = "pacts_team";

export type CurrentTeam = { id: string; name: string; slug: string; demoVersion: number; role: Role };

/** A cookie's value from a request's headers; undefined when absent or not valid percent-encoding. */
export function readCookie(headers: Headers, name: string): string | undefined {
  for (const part of (headers.get("cookie") ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export async function resolveCurrentTeam(
  db: Pick<PrismaClient, "membership">,
  userId: string,
  headers: Headers,
): Promise<CurrentTeam | null> {
  const memberships = await db.membership.findMany({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: { role: true, team: { select: { id: true, name: true, slug: true, demoVersion: true } } },
  });
  const wanted = readCookie(headers, TEAM_COOKIE);
  const chosen = memberships.find((m) => m.team.id === wanted) ?? memberships[0];
  return chosen ? { ...chosen.team, role: chosen.role } : null;
}
