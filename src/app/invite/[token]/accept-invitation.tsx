"use client";

import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { switchTeam } from "@/app/_components/team-switcher";
import { useTRPC } from "@/trpc/react";

export function AcceptInvitation({ token, email, hasAccount, signedInAs }: { token: string; email: string; hasAccount: boolean; signedInAs: string | null }) {
  const trpc = useTRPC();
  const accept = useMutation(trpc.member.acceptInvite.mutationOptions({ onSuccess: (r) => switchTeam(r.teamId) }));
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const here = `/invite/${encodeURIComponent(token)}`;

  async function onNewUser(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const password = String(new FormData(event.currentTarget).get("password") ?? "");
    setPending(true);
    setError(null);
    const res = await fetch("/api/invitations/accept", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token, password }) });
    if (!res.ok) {
      setPending(false);
      setError(((await res.json().catch(() => null)) as { error?: { message?: string } } | null)?.error?.message ?? "Could not accept the invitation");
      return;
    }
    const signedIn = await signIn("credentials", { email, password, redirect: false });
    window.location.assign(signedIn?.ok ? "/tests" : "/login");
  }

  if (signedInAs) {
    return signedInAs.toLowerCase() === email ? (
      <div className="stack">
        {accept.error && (
          <p className="alert" role="alert">
            {accept.error.message}
          </p>
        )}
        <button className="btn primary" type="button" disabled={accept.isPending} onClick={() => accept.mutate({ token })}>
          Accept and join
        </button>
      </div>
    ) : (
      <p role="alert">You are signed in as {signedInAs}. Sign out and sign in as {email} to accept.</p>
    );
  }
  if (hasAccount) {
    return (
      <a className="btn primary" href={`/login?callbackUrl=${encodeURIComponent(here)}`}>
        Sign in as {email} to accept
      </a>
    );
  }
  return (
    <form className="stack" onSubmit={onNewUser}>
      {error && (
        <p className="alert" role="alert">
          {error}
        </p>
      )}
      <label className="field">
        <span>Choose a password (at least 10 characters)</span>
        <input name="password" type="password" autoComplete="new-password" minLength={10} required />
      </label>
      <button className="btn primary" type="submit" disabled={pending}>
        {pending ? "Joining…" : "Create account and join"}
      </button>
    </form>
  );
}
