"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent } from "react";
import { switchTeam } from "@/app/_components/team-switcher";
import { useTRPC } from "@/trpc/react";

const ROLES = ["VIEWER", "MEMBER", "ADMIN", "OWNER"] as const;
type RoleName = (typeof ROLES)[number];
const rank = (r: RoleName) => ROLES.indexOf(r);

// Team settings: the members and their roles; admins change roles and remove members (never above their own
// role; owners are managed by owners and a team keeps one: src/server/teams/members.ts); anyone may leave; and
// any signed-in user may create a team, which they then own.
export function TeamView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const team = useQuery(trpc.team.current.queryOptions());
  const members = useQuery(trpc.member.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.member.list.queryKey() });
  const setRole = useMutation(trpc.member.setRole.mutationOptions({ onSettled: refresh }));
  const remove = useMutation(trpc.member.remove.mutationOptions({ onSettled: refresh }));
  const leave = useMutation(trpc.member.leave.mutationOptions({ onSuccess: () => switchTeam(null) }));
  const create = useMutation(trpc.member.createTeam.mutationOptions({ onSuccess: (t) => switchTeam(t.id) }));

  const data = members.data;
  const myRole = data?.myRole as RoleName | undefined;
  const canManage = myRole === "ADMIN" || myRole === "OWNER";
  const error = setRole.error ?? remove.error ?? leave.error;

  function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    create.mutate({ name: String(new FormData(event.currentTarget).get("name") ?? "") });
  }

  return (
    <div className="stack-lg">
      <div className="page-head">
        <h1>Team {team.data?.name}</h1>
      </div>
      {error && (
        <div className="alert" role="alert">
          {error.message}
        </div>
      )}
      <section className="card stack" aria-labelledby="members-heading">
        <h2 id="members-heading">Members</h2>
        {members.isPending && <p className="muted">Loading…</p>}
        {data && (
          <table>
            <thead>
              <tr>
                <th scope="col">Member</th>
                <th scope="col">Role</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((m) => {
                const role = m.role as RoleName;
                const editable = canManage && m.userId !== data.me && rank(role) <= rank(myRole!) && (role !== "OWNER" || myRole === "OWNER");
                return (
                  <tr key={m.userId}>
                    <td>
                      {m.email}
                      {m.userId === data.me && <span className="muted"> (you)</span>}
                    </td>
                    <td>
                      {editable ? (
                        <select
                          aria-label={`Role of ${m.email}`}
                          value={role}
                          disabled={setRole.isPending}
                          onChange={(e) => setRole.mutate({ userId: m.userId, role: e.target.value as RoleName })}
                        >
                          {ROLES.filter((r) => rank(r) <= rank(myRole!)).map((r) => (
                            <option key={r} value={r}>
                              {r.toLowerCase()}
                            </option>
                          ))}
                        </select>
                      ) : (
                        role.toLowerCase()
                      )}
                    </td>
                    <td className="actions">
                      {editable && (
                        <button
                          type="button"
                          className="btn small"
                          aria-label={`Remove ${m.email}`}
                          disabled={remove.isPending}
                          onClick={() => {
                            if (window.confirm(`Remove ${m.email} from the team?`)) remove.mutate({ userId: m.userId });
                          }}
                        >
                          Remove
                        </button>
                      )}
                      {m.userId === data.me && (
                        <button
                          type="button"
                          className="btn small"
                          disabled={leave.isPending}
                          onClick={() => {
                            if (window.confirm("Leave this team?")) leave.mutate();
                          }}
                        >
                          Leave team
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
      <form className="card stack" onSubmit={onCreate} aria-labelledby="new-team-heading">
        <h2 id="new-team-heading">Create a team</h2>
        <label className="field">
          <span>Team name</span>
          <input name="name" required maxLength={100} placeholder="Checkout squad" />
        </label>
        {create.error && (
          <div className="alert" role="alert">
            {create.error.message}
          </div>
        )}
        <div className="row">
          <button className="btn primary" type="submit" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create team"}
          </button>
        </div>
      </form>
    </div>
  );
}
