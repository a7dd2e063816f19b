"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";

const TEAM_COOKIE = "pacts_team"; // read by src/server/teams/current-team.ts

/** Acts for `teamId` from now on (null: the first team joined) and reloads, so every page shows that team. The
 * cookie is only a choice: the server uses it only when the user is a member of that team. */
export function switchTeam(teamId: string | null): void {
  document.cookie = teamId
    ? `${TEAM_COOKIE}=${encodeURIComponent(teamId)}; path=/; max-age=31536000; samesite=lax`
    : `${TEAM_COOKIE}=; path=/; max-age=0; samesite=lax`;
  window.location.assign("/tests");
}

export function TeamSwitcher() {
  const trpc = useTRPC();
  const teams = useQuery(trpc.team.list.queryOptions());
  const current = useQuery(trpc.team.current.queryOptions());
  if (!teams.data || !current.data || teams.data.length < 2) return null;
  return (
    <label className="team-switcher">
      <span className="sr-only">Team</span>
      <select aria-label="Switch team" value={current.data.id} onChange={(e) => switchTeam(e.target.value)}>
        {teams.data.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </select>
    </label>
  );
}
