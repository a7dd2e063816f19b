// What an alert says: the test, the failing step, the verdict and a link to the run. The webhook body is this
// object as JSON; Slack gets `title` and `text`, e-mail uses them as subject and body.
import type { AlertEvent } from "@/generated/prisma/enums";

export type AlertPayload = {
  event: AlertEvent;
  test: boolean;
  title: string;
  text: string;
  team: { id: string; name: string };
  testCase: { id: string | null; name: string };
  run: {
    id: string;
    status: string;
    verdict: string | null;
    error: string | null;
    url: string;
    failingStep: { index: number; text: string; error: string | null } | null;
  } | null;
  consecutiveFailures: number;
  healsNeedingReview: number;
  sentAt: string;
};

export type RunFacts = {
  id: string;
  status: string;
  verdict: string | null;
  errorMessage: string | null;
  testId: string | null;
  testName: string;
  team: { id: string; name: string };
  failingStep: { stepIdx: number; text: string; errorMessage: string | null } | null;
};

const HEADLINE: Record<AlertEvent, string> = {
  FAILURE: "failed",
  RECOVERY: "recovered",
  HEAL_REVIEW: "has a heal that needs review",
};

export function buildPayload(
  event: AlertEvent,
  run: RunFacts,
  facts: { consecutiveFailures: number; healsNeedingReview: number; publicUrl: string },
): AlertPayload {
  const url = `${facts.publicUrl}/runs/${run.id}`;
  const step = run.failingStep;
  const lines = [
    event === "FAILURE" && facts.consecutiveFailures > 1 ? `${facts.consecutiveFailures} consecutive failed runs.` : null,
    event === "RECOVERY" ? `Passed after ${facts.consecutiveFailures} failed run${facts.consecutiveFailures === 1 ? "" : "s"}.` : null,
    event === "HEAL_REVIEW" ? `${facts.healsNeedingReview} unverified heal${facts.healsNeedingReview === 1 ? "" : "s"} to review.` : null,
    `Status: ${run.status}${run.verdict ? ` (${run.verdict})` : ""}`,
    step ? `Failing step ${step.stepIdx + 1}: ${step.text}${step.errorMessage ? ` — ${step.errorMessage}` : ""}` : null,
    !step && run.errorMessage ? `Error: ${run.errorMessage}` : null,
    `Run: ${url}`,
  ];
  return {
    event,
    test: false,
    title: `[PACTS] ${run.testName} ${HEADLINE[event]}`,
    text: lines.filter(Boolean).join("\n"),
    team: run.team,
    testCase: { id: run.testId, name: run.testName },
    run: {
      id: run.id,
      status: run.status,
      verdict: run.verdict,
      error: run.errorMessage,
      url,
      failingStep: step ? { index: step.stepIdx, text: step.text, error: step.errorMessage } : null,
    },
    consecutiveFailures: facts.consecutiveFailures,
    healsNeedingReview: facts.healsNeedingReview,
    sentAt: new Date().toISOString(),
  };
}

/** The body of a "send test" delivery: same shape, marked as a test, no run. */
export function testPayload(event: AlertEvent, team: { id: string; name: string }, testName: string | null): AlertPayload {
  return {
    event,
    test: true,
    title: `[PACTS] Test alert (${event.toLowerCase().replace("_", " ")})`,
    text: `This is a test of an alert rule of team ${team.name}${testName ? ` for the test ${testName}` : ""}. It works.`,
    team,
    testCase: { id: null, name: testName ?? "(every test)" },
    run: null,
    consecutiveFailures: 0,
    healsNeedingReview: 0,
    sentAt: new Date().toISOString(),
  };
}
