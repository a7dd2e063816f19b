"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { formatDate } from "@/app/_components/status-badge";
import { useTRPC } from "@/trpc/react";

/** The token is shown once, right after creation; leaving or reloading the page loses it for good. */
function NewTokenNotice({ name, token, onDismiss }: { name: string; token: string; onDismiss: () => void }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(token);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }
  return (
    <section className="card stack" aria-labelledby="new-token-heading">
      <h2 id="new-token-heading">New token “{name}”</h2>
      <p>
        Copy this token now and store it as a secret (for example <code className="mono">PACTS_TOKEN</code> in CI). It is shown only
        once.
      </p>
      <label className="field">
        <span>Your new API token</span>
        <input readOnly value={token} className="mono" onFocus={(e) => e.currentTarget.select()} />
      </label>
      <div className="row">
        <button type="button" className="btn primary small" onClick={() => void copy()}>
          Copy token
        </button>
        <span role="status" className="muted small">
          {copied ? "Copied to the clipboard." : ""}
        </span>
        <button type="button" className="btn small" onClick={onDismiss}>
          I have stored it
        </button>
      </div>
    </section>
  );
}

export function TokensView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tokens = useQuery(trpc.token.list.queryOptions());
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.token.list.queryKey() });

  const create = useMutation(
    trpc.token.create.mutationOptions({
      onSuccess: (t) => {
        setCreated({ name: t.name, token: t.token });
        void invalidate();
      },
    }),
  );
  const revoke = useMutation(trpc.token.revoke.mutationOptions({ onSuccess: () => void invalidate() }));

  function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const name = String(data.get("name") ?? "");
    const role = String(data.get("role") ?? "MEMBER") as "VIEWER" | "MEMBER" | "ADMIN";
    create.mutate({ name, role }, { onSuccess: () => form.reset() });
  }

  function onRevoke(id: string, name: string) {
    if (window.confirm(`Revoke the token “${name}”? Anything using it stops working at once.`)) revoke.mutate({ id });
  }

  const canManage = tokens.data?.canManage ?? false;
  const fieldErrors = create.error?.data?.zodError?.fieldErrors as Record<string, string[] | undefined> | undefined;
  const nameError = fieldErrors?.name;

  return (
    <div className="stack-lg">
      <div className="page-head">
        <h1>API tokens</h1>
      </div>
      <p className="muted">
        Team tokens authenticate the REST API (<code className="mono">POST /api/v1/runs</code>) and <code className="mono">pacts trigger</code>{" "}
        with <code className="mono">Authorization: Bearer &lt;token&gt;</code>.
      </p>
      {created && <NewTokenNotice name={created.name} token={created.token} onDismiss={() => setCreated(null)} />}
      <section aria-labelledby="tokens-heading" className="card">
        <h2 id="tokens-heading">Tokens</h2>
        {tokens.isPending && <p className="muted">Loading…</p>}
        {tokens.error && <p role="alert">{tokens.error.message}</p>}
        {revoke.error && (
          <p role="alert" className="error-text">
            {revoke.error.message}
          </p>
        )}
        {tokens.data && tokens.data.items.length === 0 && <p className="muted">No tokens yet.</p>}
        {tokens.data && tokens.data.items.length > 0 && (
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Token</th>
                <th scope="col">Role</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.items.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}</td>
                  <td className="mono">{t.prefix}…</td>
                  <td>{t.role.toLowerCase()}</td>
                  <td>
                    {formatDate(t.createdAt)}
                    {t.createdBy && <span className="muted small"> by {t.createdBy}</span>}
                  </td>
                  <td>{t.lastUsedAt ? formatDate(t.lastUsedAt) : <span className="muted">never</span>}</td>
                  <td>
                    {t.revokedAt ? (
                      <span className="badge badge-cancelled">Revoked {formatDate(t.revokedAt)}</span>
                    ) : (
                      <span className="badge badge-passed">Active</span>
                    )}
                  </td>
                  <td className="actions">
                    {canManage && !t.revokedAt && (
                      <button
                        type="button"
                        className="btn small"
                        aria-label={`Revoke ${t.name}`}
                        disabled={revoke.isPending}
                        onClick={() => onRevoke(t.id, t.name)}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {canManage ? (
        <form className="card stack" onSubmit={onCreate} aria-labelledby="new-token-form-heading">
          <h2 id="new-token-form-heading">Create a token</h2>
          <label className="field">
            <span>Token name</span>
            <input name="name" required maxLength={100} placeholder="GitHub Actions" />
            {nameError && <small className="error-text">{nameError.join(", ")}</small>}
          </label>
          <label className="field">
            <span>Role</span>
            <select name="role" defaultValue="MEMBER">
              <option value="VIEWER">Viewer: read runs</option>
              <option value="MEMBER">Member: also start runs</option>
              <option value="ADMIN">Admin</option>
            </select>
          </label>
          {create.error && !nameError && (
            <div className="alert" role="alert">
              {create.error.message}
            </div>
          )}
          <div className="row">
            <button className="btn primary" type="submit" disabled={create.isPending}>
              {create.isPending ? "Creating…" : "Create token"}
            </button>
          </div>
        </form>
      ) : (
        tokens.data && <p className="muted">Only team owners and admins can create or revoke tokens.</p>
      )}
    </div>
  );
}
