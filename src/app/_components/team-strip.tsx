"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTRPC } from "@/trpc/react";

const DEMO_COOKIE = "pacts_demo_version";

/** The worker shows the team's demo version to runs; this cookie shows the same one to the user's browser. */
function setDemoCookie(version: number) {
  document.cookie = `${DEMO_COOKIE}=${version}; path=/; max-age=31536000; samesite=lax`;
}

export function TeamStrip() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const team = useQuery(trpc.team.current.queryOptions());
  // Shown at once on click (a controlled radio would otherwise snap back until the server answers).
  const [chosen, setChosen] = useState<1 | 2 | null>(null);
  const setVersion = useMutation(
    trpc.team.setDemoVersion.mutationOptions({
      onSuccess: async (data) => {
        setDemoCookie(data.demoVersion);
        await queryClient.invalidateQueries({ queryKey: trpc.team.current.queryKey() });
      },
      onSettled: () => setChosen(null),
    }),
  );

  useEffect(() => {
    if (team.data) setDemoCookie(team.data.demoVersion);
  }, [team.data]);

  if (!team.data) return <div className="team-strip" aria-hidden="true" />;
  const canEdit = team.data.role === "OWNER" || team.data.role === "ADMIN";
  const version = chosen ?? team.data.demoVersion;

  return (
    <section className="team-strip" aria-label="Team settings">
      <span>
        Team <strong>{team.data.name}</strong> <span className="muted">({team.data.role.toLowerCase()})</span>
      </span>
      <fieldset className="segmented" disabled={!canEdit} aria-busy={setVersion.isPending}>
        <legend>Demo site version</legend>
        {([1, 2] as const).map((v) => (
          <label key={v} className={version === v ? "active" : undefined}>
            <input
              type="radio"
              name="demo-version"
              value={v}
              checked={version === v}
              onChange={() => {
                if (setVersion.isPending) return;
                setChosen(v);
                setVersion.mutate({ version: v });
              }}
            />
            {v === 1 ? "v1 (original)" : "v2 (redesign)"}
          </label>
        ))}
      </fieldset>
      <a href="/demo/login" target="_blank" rel="noreferrer">
        Open demo site
      </a>
      {setVersion.error && (
        <span className="error-text" role="alert">
          {setVersion.error.message}
        </span>
      )}
    </section>
  );
}
