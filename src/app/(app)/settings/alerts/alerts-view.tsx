"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { formatDate } from "@/app/_components/status-badge";
import { useTRPC } from "@/trpc/react";

const EVENTS = {
  FAILURE: "fails N runs in a row",
  RECOVERY: "passes again after N failed runs",
  HEAL_REVIEW: "has a heal that needs review",
} as const;
const CHANNELS = { WEBHOOK: "Webhook (signed JSON)", SLACK: "Slack-compatible webhook", EMAIL: "E-mail" } as const;
type EventKey = keyof typeof EVENTS;
type ChannelKey = keyof typeof CHANNELS;

function describeRule(r: { event: EventKey; threshold: number; testName: string | null }): string {
  const who = r.testName ? `“${r.testName}”` : "Any test";
  const what = EVENTS[r.event].replace("N", String(r.threshold));
  return `${who} ${r.event === "HEAL_REVIEW" ? EVENTS.HEAL_REVIEW : what}`;
}

// Alert rules (per test or for every test of the team), "send test", and the delivery log with response codes.
// Members see rules and the log with webhook URLs shortened; owners and admins edit.
export function AlertsView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.alert.list.queryOptions());
  const deliveries = useQuery(trpc.alert.deliveries.queryOptions(undefined, { refetchInterval: 5000 }));
  const [channel, setChannel] = useState<ChannelKey>("WEBHOOK");
  const [event, setEvent] = useState<EventKey>("FAILURE");
  const [newSecret, setNewSecret] = useState<string | null>(null);
  const [testResult, setTestResult] = useState<string | null>(null);
  const invalidate = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.alert.list.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.alert.deliveries.queryKey() });
  };
  const create = useMutation(trpc.alert.create.mutationOptions({ onSuccess: (r) => (setNewSecret(r.secret), invalidate()) }));
  const update = useMutation(trpc.alert.update.mutationOptions({ onSuccess: invalidate }));
  const remove = useMutation(trpc.alert.delete.mutationOptions({ onSuccess: invalidate }));
  const sendTest = useMutation(
    trpc.alert.sendTest.mutationOptions({
      onSuccess: (r) => {
        setTestResult(r.status === "DELIVERED" ? `Test delivered (${r.code ?? "ok"}).` : `Test not delivered: ${r.error ?? r.code}`);
        invalidate();
      },
    }),
  );

  function onCreate(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const testId = String(f.get("testId") ?? "");
    create.mutate(
      { testId: testId || null, event, threshold: Number(f.get("threshold") ?? 1), channel, target: String(f.get("target") ?? "") },
      { onSuccess: () => form.reset() },
    );
  }

  const data = list.data;
  const canManage = data?.canManage ?? false;
  const fieldErrors = create.error?.data?.zodError?.fieldErrors as Record<string, string[] | undefined> | undefined;
  const mutationError = update.error ?? remove.error ?? sendTest.error;

  return (
    <div className="stack-lg">
      <div className="page-head">
        <h1>Alerts</h1>
      </div>
      <p className="muted">
        Tell people when a test fails several runs in a row, when it recovers, or when a run went on with a heal that needs review.
        Webhooks get signed JSON (<code className="mono">X-Pacts-Signature: sha256=…</code>, HMAC-SHA256 of the body with the rule’s
        secret) and failed deliveries are retried with backoff. See docs/operations.md.
      </p>
      {newSecret && (
        <section className="card stack" aria-labelledby="secret-heading">
          <h2 id="secret-heading">Webhook signing secret</h2>
          <p>Verify each request’s signature with this secret. Owners and admins can see it again on this page.</p>
          <input readOnly value={newSecret} className="mono" aria-label="Signing secret" onFocus={(e) => e.currentTarget.select()} />
          <div className="row">
            <button type="button" className="btn small" onClick={() => setNewSecret(null)}>
              Done
            </button>
          </div>
        </section>
      )}
      <section className="card" aria-labelledby="rules-heading">
        <h2 id="rules-heading">Rules</h2>
        {list.isPending && <p className="muted">Loading…</p>}
        {list.error && <p role="alert">{list.error.message}</p>}
        {mutationError && (
          <p role="alert" className="error-text">
            {mutationError.message}
          </p>
        )}
        <p role="status" className="muted small">
          {testResult ?? ""}
        </p>
        {data && data.rules.length === 0 && <p className="muted">No alert rules yet.</p>}
        {data && data.rules.length > 0 && (
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Channel</th>
                <th scope="col">Target</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.rules.map((r) => (
                <tr key={r.id}>
                  <td>{describeRule(r)}</td>
                  <td>{CHANNELS[r.channel]}</td>
                  <td className="mono truncate">
                    {r.target}
                    {r.secret && <div className="muted small">secret {r.secret}</div>}
                  </td>
                  <td>{r.enabled ? <span className="badge badge-passed">On</span> : <span className="badge badge-cancelled">Off</span>}</td>
                  <td className="actions">
                    {canManage && (
                      <div className="row">
                        <button type="button" className="btn small" disabled={sendTest.isPending} onClick={() => (setTestResult(null), sendTest.mutate({ id: r.id }))}>
                          Send test
                        </button>
                        <button type="button" className="btn small" disabled={update.isPending} onClick={() => update.mutate({ id: r.id, enabled: !r.enabled })}>
                          {r.enabled ? "Turn off" : "Turn on"}
                        </button>
                        <button
                          type="button"
                          className="btn small"
                          aria-label={`Delete rule: ${describeRule(r)}`}
                          disabled={remove.isPending}
                          onClick={() => window.confirm("Delete this alert rule and its delivery log?") && remove.mutate({ id: r.id })}
                        >
                          Delete
                        </button>
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {canManage && data && (
        <form className="card stack" onSubmit={onCreate} aria-labelledby="new-rule-heading">
          <h2 id="new-rule-heading">New rule</h2>
          <label className="field">
            <span>Test</span>
            <select name="testId" defaultValue="">
              <option value="">Every test of the team</option>
              {data.tests.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>When the test…</span>
            <select name="event" value={event} onChange={(e) => setEvent(e.currentTarget.value as EventKey)}>
              {Object.entries(EVENTS).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
          </label>
          {event !== "HEAL_REVIEW" && (
            <label className="field">
              <span>N (failed runs)</span>
              <input name="threshold" type="number" min={1} max={100} defaultValue={1} required />
              {fieldErrors?.threshold && <small className="error-text">{fieldErrors.threshold.join(", ")}</small>}
            </label>
          )}
          <label className="field">
            <span>Channel</span>
            <select name="channel" value={channel} onChange={(e) => setChannel(e.currentTarget.value as ChannelKey)}>
              {Object.entries(CHANNELS).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{channel === "EMAIL" ? "E-mail address" : "URL"}</span>
            <input
              name="target"
              required
              maxLength={2000}
              type={channel === "EMAIL" ? "email" : "url"}
              placeholder={channel === "EMAIL" ? "oncall@example.com" : channel === "SLACK" ? "https://hooks.slack.com/services/…" : "https://ci.example.com/pacts-hook"}
            />
            {fieldErrors?.target && <small className="error-text">{fieldErrors.target.join(", ")}</small>}
          </label>
          {channel === "EMAIL" && !data.emailConfigured && (
            <p className="muted small">E-mail needs SMTP_URL on the workers and the web app; until then e-mail deliveries fail and say so.</p>
          )}
          {create.error && !fieldErrors && (
            <div className="alert" role="alert">
              {create.error.message}
            </div>
          )}
          <div className="row">
            <button className="btn primary" type="submit" disabled={create.isPending}>
              {create.isPending ? "Adding…" : "Add rule"}
            </button>
          </div>
        </form>
      )}
      {data && !canManage && <p className="muted">Only team owners and admins can add, change or test alert rules.</p>}

      <section className="card" aria-labelledby="log-heading">
        <h2 id="log-heading">Delivery log</h2>
        {deliveries.data && deliveries.data.length === 0 && <p className="muted">Nothing sent yet.</p>}
        {deliveries.data && deliveries.data.length > 0 && (
          <table>
            <thead>
              <tr>
                <th scope="col">Created</th>
                <th scope="col">Event</th>
                <th scope="col">To</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts (codes)</th>
                <th scope="col">Run</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.data.map((d) => (
                <tr key={d.id}>
                  <td>{formatDate(d.createdAt)}</td>
                  <td>
                    {d.event}
                    {d.isTest && <span className="muted small"> (test)</span>}
                  </td>
                  <td className="mono truncate">{d.target}</td>
                  <td>
                    <span className={`badge ${d.status === "DELIVERED" ? "badge-passed" : d.status === "FAILED" ? "badge-failed" : "badge-pending"}`}>{d.status}</span>
                    {d.lastError && <div className="muted small truncate">{d.lastError}</div>}
                  </td>
                  <td className="mono">
                    {d.attempts} ({d.log.map((l) => l.code ?? "—").join(", ")})
                  </td>
                  <td>{d.runId ? <Link href={`/runs/${d.runId}`}>View run</Link> : <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
