"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import type { StepParseError } from "@/domain/step";
import { useTRPC } from "@/trpc/react";

const EXAMPLE = `Fill "alice" in the Username field
Fill "wonderland" in the Password field
Click the Log in button
Expect text "Welcome, alice"`;

function stepErrorsOf(details: unknown): StepParseError[] {
  const errors = (details as { errors?: unknown } | null)?.errors;
  return Array.isArray(errors) ? (errors as StepParseError[]) : [];
}

export function NewTestForm({ onCreated }: { onCreated?: (id: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [source, setSource] = useState("");
  const create = useMutation(
    trpc.test.create.mutationOptions({
      onSuccess: (test, _vars) => {
        void queryClient.invalidateQueries({ queryKey: trpc.test.list.queryKey() });
        setSource("");
        onCreated?.(test.id);
      },
    }),
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    create.mutate({
      name: String(form.get("name") ?? ""),
      startUrl: String(form.get("startUrl") ?? ""),
      source,
      healPolicy: form.get("healPolicy") === "PROCEED_AND_FLAG" ? "PROCEED_AND_FLAG" : "FAIL",
    });
  }

  const error = create.error;
  const stepErrors = stepErrorsOf(error?.data?.details);
  const fieldErrors = error?.data?.zodError?.fieldErrors as Record<string, string[] | undefined> | undefined;

  return (
    <form className="card stack" onSubmit={onSubmit} aria-labelledby="new-test-heading">
      <h2 id="new-test-heading">New test</h2>
      <label className="field">
        <span>Name</span>
        <input name="name" required maxLength={200} placeholder="Checkout happy path" />
        {fieldErrors?.name && <small className="error-text">{fieldErrors.name.join(", ")}</small>}
      </label>
      <label className="field">
        <span>Start URL</span>
        <input name="startUrl" type="url" required placeholder="https://example.com/login" />
        {fieldErrors?.startUrl && <small className="error-text">{fieldErrors.startUrl.join(", ")}</small>}
      </label>
      <label className="field">
        <span>Steps (one per line)</span>
        <textarea
          name="source"
          rows={7}
          required
          maxLength={20_000}
          spellCheck={false}
          placeholder={EXAMPLE}
          value={source}
          onChange={(e) => setSource(e.target.value)}
        />
      </label>
      <HealPolicyField />
      {error && (
        <div className="alert" role="alert">
          {stepErrors.length > 0 ? (
            <>
              <strong>These steps cannot run yet:</strong>
              <ul>
                {stepErrors.map((e) => (
                  <li key={e.line}>
                    Line {e.line}: {e.reason}
                    {e.suggestion && <span className="muted"> (try: {e.suggestion})</span>}
                  </li>
                ))}
              </ul>
            </>
          ) : fieldErrors && Object.keys(fieldErrors).length > 0 ? (
            "Please fix the highlighted fields."
          ) : (
            error.message
          )}
        </div>
      )}
      <div className="row">
        <button className="btn primary" type="submit" disabled={create.isPending}>
          {create.isPending ? "Saving…" : "Create test"}
        </button>
      </div>
    </form>
  );
}

export type HealPolicyValue = "FAIL" | "PROCEED_AND_FLAG";

/** Test.healPolicy: what a run does when a heal is backed by only one kind of evidence. */
export function HealPolicyField({
  value,
  onChange,
  defaultValue = "FAIL",
}: {
  value?: HealPolicyValue;
  onChange?: (v: HealPolicyValue) => void;
  defaultValue?: HealPolicyValue;
}) {
  const selectId = useId();
  const helpId = useId();
  // The help text sits outside the <label> so the select's accessible name is just the question.
  return (
    <div className="field">
      <label htmlFor={selectId}>When a heal cannot be verified</label>
      <select
        id={selectId}
        name="healPolicy"
        {...(value !== undefined ? { value } : { defaultValue })}
        onChange={onChange ? (e) => onChange(e.target.value === "PROCEED_AND_FLAG" ? "PROCEED_AND_FLAG" : "FAIL") : undefined}
        aria-describedby={helpId}
      >
        <option value="FAIL">Fail the step</option>
        <option value="PROCEED_AND_FLAG">Proceed and flag for review</option>
      </select>
      <small id={helpId} className="muted">
        A heal is verified when two independent kinds of evidence point at the same element; otherwise it follows this
        choice.
      </small>
    </div>
  );
}
