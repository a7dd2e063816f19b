"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTRPC } from "@/trpc/react";
import { formatInZone } from "./format-in-zone";

const formatIn = (date: Date | null, timeZone: string): string => (date ? formatInZone(date, timeZone) : "—");

/** Cron schedules of one test: list with enable/disable and delete, plus a small form to add one. */
export function SchedulesSection({ testId }: { testId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.schedule.listForTest.queryOptions({ testId }));
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.schedule.listForTest.queryKey({ testId }) });
  const update = useMutation(trpc.schedule.update.mutationOptions({ onSettled: invalidate }));
  const remove = useMutation(trpc.schedule.delete.mutationOptions({ onSettled: invalidate }));
  const busy = update.isPending || remove.isPending;
  const rowError = update.error ?? remove.error;

  return (
    <section className="card stack" aria-labelledby="schedules-heading">
      <h2 id="schedules-heading">Schedules</h2>
      {list.isPending ? (
        <p className="muted">Loading…</p>
      ) : list.error ? (
        <p role="alert">{list.error.message}</p>
      ) : list.data.items.length === 0 ? (
        <p className="muted">No schedules: this test runs only when started by hand, the API or the CLI.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Cron</th>
              <th scope="col">Time zone</th>
              <th scope="col">Status</th>
              <th scope="col">Next run</th>
              <th scope="col">Last run</th>
              {list.data.canManage && (
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((s) => (
              <tr key={s.id}>
                <td className="mono">{s.cron}</td>
                <td>{s.timezone}</td>
                <td>{s.enabled ? "Enabled" : "Disabled"}</td>
                <td>{s.enabled ? formatIn(s.nextRunAt, s.timezone) : "—"}</td>
                <td>{formatIn(s.lastRunAt, s.timezone)}</td>
                {list.data.canManage && (
                  <td className="actions">
                    <div className="inline-flex">
                      <button
                        type="button"
                        className="btn small"
                        disabled={busy}
                        aria-label={`${s.enabled ? "Disable" : "Enable"} schedule ${s.cron}`}
                        onClick={() => update.mutate({ id: s.id, enabled: !s.enabled })}
                      >
                        {s.enabled ? "Disable" : "Enable"}
                      </button>
                      <button
                        type="button"
                        className="btn small"
                        disabled={busy}
                        aria-label={`Delete schedule ${s.cron}`}
                        onClick={() => {
                          if (window.confirm(`Delete the schedule "${s.cron}"?`)) remove.mutate({ id: s.id });
                        }}
                      >
                        Delete
                      </button>
                    </div>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {rowError && <p role="alert" className="error-text">{rowError.message}</p>}
      {list.data?.canManage && <NewScheduleForm testId={testId} onCreated={invalidate} />}
    </section>
  );
}

function NewScheduleForm({ testId, onCreated }: { testId: string; onCreated: () => Promise<void> }) {
  const trpc = useTRPC();
  const ids = { cron: useId(), cronHelp: useId(), cronError: useId(), tz: useId(), tzError: useId() };
  const [cron, setCron] = useState("");
  const [timezone, setTimezone] = useState("UTC");
  const create = useMutation(
    trpc.schedule.create.mutationOptions({
      onSuccess: async () => {
        setCron("");
        await onCreated();
      },
    }),
  );

  // The server names the field a cron/zone error belongs to (AppError details); zod errors come per field.
  const error = create.error;
  const field = (error?.data as { details?: { field?: string } | null } | undefined)?.details?.field;
  const zodFields = error?.data?.zodError?.fieldErrors as Record<string, string[] | undefined> | undefined;
  const cronError = field === "cron" ? error?.message : zodFields?.cron?.join(", ");
  const tzError = field === "timezone" ? error?.message : zodFields?.timezone?.join(", ");
  const otherError = error && !cronError && !tzError ? error.message : null;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    create.mutate({ testId, cron, timezone });
  }

  return (
    <form className="stack" onSubmit={onSubmit} aria-label="Add a schedule" noValidate>
      <div className="row" style={{ alignItems: "flex-start", flexWrap: "wrap" }}>
        <div className="field">
          <label htmlFor={ids.cron}>Cron expression</label>
          <input
            id={ids.cron}
            className="mono"
            value={cron}
            onChange={(e) => setCron(e.target.value)}
            placeholder="0 9 * * 1-5"
            required
            aria-invalid={cronError ? true : undefined}
            aria-describedby={cronError ? `${ids.cronHelp} ${ids.cronError}` : ids.cronHelp}
          />
          <small id={ids.cronHelp} className="muted">
            5 fields: minute hour day month weekday (or @hourly, @daily, @weekly)
          </small>
          {cronError && (
            <small id={ids.cronError} className="error-text">
              {cronError}
            </small>
          )}
        </div>
        <div className="field">
          <label htmlFor={ids.tz}>Time zone</label>
          <input
            id={ids.tz}
            value={timezone}
            onChange={(e) => setTimezone(e.target.value)}
            placeholder="UTC"
            aria-invalid={tzError ? true : undefined}
            aria-describedby={tzError ? ids.tzError : undefined}
          />
          {tzError && (
            <small id={ids.tzError} className="error-text">
              {tzError}
            </small>
          )}
        </div>
      </div>
      <div className="row">
        <button className="btn" type="submit" disabled={create.isPending || cron.trim() === ""}>
          {create.isPending ? "Adding…" : "Add schedule"}
        </button>
        {otherError && <span role="alert" className="error-text">{otherError}</span>}
        {(cronError || tzError) && <span role="alert" className="sr-only">{cronError ?? tzError}</span>}
      </div>
    </form>
  );
}
