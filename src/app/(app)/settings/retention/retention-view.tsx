"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/trpc/react";

// Team retention: owners and admins see and change how long finished runs (with their steps and artifacts) and
// heal events are kept; a worker deletes what is older (docs/operations.md, "Retention").
export function RetentionView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const settings = useQuery(trpc.retention.get.queryOptions(undefined, { retry: false }));
  const [saved, setSaved] = useState(false);
  const save = useMutation(
    trpc.retention.set.mutationOptions({
      onSuccess: () => {
        setSaved(true);
        void queryClient.invalidateQueries({ queryKey: trpc.retention.get.queryKey() });
      },
    }),
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const form = new FormData(event.currentTarget);
    save.mutate({ runDays: Number(form.get("runDays")), healEventDays: Number(form.get("healEventDays")) });
  }

  const fieldErrors = save.error?.data?.zodError?.fieldErrors as Record<string, string[] | undefined> | undefined;
  const data = settings.data;

  return (
    <div className="stack-lg">
      <div className="page-head">
        <h1>Retention</h1>
      </div>
      <p className="muted">
        A worker deletes finished runs older than the setting, with their steps, screenshots and generated specs, and heal events
        older than theirs. Metric totals keep their counts. Runs still queued or running are never deleted.
      </p>
      {settings.isPending && <p className="muted">Loading…</p>}
      {settings.error && (
        <p role="alert">{settings.error.data?.code === "FORBIDDEN" ? "Only team owners and admins can see and change retention." : settings.error.message}</p>
      )}
      {data && (
        <form className="card stack" onSubmit={onSubmit} aria-labelledby="retention-form-heading" key={`${data.runDays}-${data.healEventDays}`}>
          <h2 id="retention-form-heading">Keep data for</h2>
          <label className="field">
            <span>Runs and artifacts (days)</span>
            <input name="runDays" type="number" required min={1} max={data.maxDays} defaultValue={data.runDays} />
            {fieldErrors?.runDays && <small className="error-text">{fieldErrors.runDays.join(", ")}</small>}
          </label>
          <label className="field">
            <span>Heal events (days, at most the runs’ days)</span>
            <input name="healEventDays" type="number" required min={1} max={data.maxDays} defaultValue={data.healEventDays} />
            {fieldErrors?.healEventDays && <small className="error-text">{fieldErrors.healEventDays.join(", ")}</small>}
          </label>
          <p className="muted small">
            {data.isDefault ? "This team uses the defaults" : "Defaults"}: {data.defaults.runDays} days for runs, {data.defaults.healEventDays} days for heal
            events.
          </p>
          {save.error && !fieldErrors && (
            <div className="alert" role="alert">
              {save.error.message}
            </div>
          )}
          <div className="row">
            <button className="btn primary" type="submit" disabled={save.isPending}>
              {save.isPending ? "Saving…" : "Save"}
            </button>
            <span role="status" className="muted small">
              {saved ? "Saved." : ""}
            </span>
          </div>
        </form>
      )}
    </div>
  );
}
