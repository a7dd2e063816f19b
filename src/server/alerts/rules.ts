// Alert rules: per test or per team (test_id null), validated here for every caller (tRPC router, tests).
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { PrismaClient } from "@/generated/prisma/client";
import { AppError } from "../errors";

export const ALERT_EVENTS = ["FAILURE", "RECOVERY", "HEAL_REVIEW"] as const;
export const ALERT_CHANNELS = ["WEBHOOK", "SLACK", "EMAIL"] as const;
export const MAX_THRESHOLD = 100;

const ZHttpUrl = z
  .string()
  .trim()
  .max(2000)
  .url()
  .refine((u) => /^https?:\/\//i.test(u), "Must be an http:// or https:// URL");

export const ZAlertRuleInput = z
  .object({
    testId: z.string().min(1).max(100).nullable(),
    event: z.enum(ALERT_EVENTS),
    threshold: z.number().int().min(1).max(MAX_THRESHOLD).default(1),
    channel: z.enum(ALERT_CHANNELS),
    target: z.string().trim().min(1).max(2000),
  })
  .superRefine((r, ctx) => {
    const ok = r.channel === "EMAIL" ? z.email().safeParse(r.target).success : ZHttpUrl.safeParse(r.target).success;
    if (!ok) ctx.addIssue({ code: "custom", path: ["target"], message: r.channel === "EMAIL" ? "Enter an e-mail address" : "Enter an http:// or https:// URL" });
  });
export type AlertRuleInput = z.input<typeof ZAlertRuleInput>;

export const ZAlertRuleUpdate = z.object({
  id: z.string().min(1).max(100),
  enabled: z.boolean().optional(),
  threshold: z.number().int().min(1).max(MAX_THRESHOLD).optional(),
});

const ruleSelect = {
  id: true,
  testId: true,
  event: true,
  threshold: true,
  channel: true,
  target: true,
  secret: true,
  enabled: true,
  createdAt: true,
  test: { select: { name: true } },
} as const;

export async function listAlertRules(db: PrismaClient, teamId: string, opts: { withSecrets: boolean }) {
  const rules = await db.alertRule.findMany({ where: { teamId }, orderBy: { createdAt: "asc" }, select: ruleSelect });
  return rules.map(({ test, secret, ...r }) => ({
    ...r,
    target: opts.withSecrets ? r.target : maskTarget(r.channel, r.target),
    testName: test?.name ?? null,
    secret: opts.withSecrets ? secret : null,
  }));
}

export async function createAlertRule(db: PrismaClient, teamId: string, input: AlertRuleInput) {
  const r = ZAlertRuleInput.parse(input);
  if (r.testId) {
    const test = await db.test.findFirst({ where: { id: r.testId, teamId }, select: { id: true } });
    if (!test) throw new AppError("NOT_FOUND", "Test not found");
  }
  const secret = r.channel === "WEBHOOK" ? randomBytes(24).toString("base64url") : null;
  return db.alertRule.create({ data: { teamId, ...r, secret }, select: { id: true, secret: true } });
}

export async function updateAlertRule(db: PrismaClient, teamId: string, input: z.input<typeof ZAlertRuleUpdate>) {
  const { id, ...data } = ZAlertRuleUpdate.parse(input);
  const res = await db.alertRule.updateMany({ where: { id, teamId }, data });
  if (res.count !== 1) throw new AppError("NOT_FOUND", "Alert rule not found");
}

export async function deleteAlertRule(db: PrismaClient, teamId: string, id: string) {
  const res = await db.alertRule.deleteMany({ where: { id, teamId } });
  if (res.count !== 1) throw new AppError("NOT_FOUND", "Alert rule not found");
}

/** The team's most recent deliveries (the delivery log), newest first. */
/** A webhook or Slack URL is itself a credential: members see its origin only. */
export function maskTarget(channel: string, target: string): string {
  if (channel === "EMAIL") return target;
  try {
    return `${new URL(target).origin}/…`;
  } catch {
    return "…";
  }
}

export async function listAlertDeliveries(db: PrismaClient, teamId: string, opts: { withSecrets: boolean; limit?: number }) {
  const limit = opts.limit ?? 50;
  const rows = await db.alertDelivery.findMany({
    where: { teamId },
    orderBy: { createdAt: "desc" },
    take: limit,
    select: {
      id: true,
      ruleId: true,
      runId: true,
      event: true,
      isTest: true,
      status: true,
      attempts: true,
      lastStatusCode: true,
      lastError: true,
      log: true,
      deliveredAt: true,
      createdAt: true,
      rule: { select: { channel: true, target: true } },
    },
  });
  return rows.map(({ rule, log, ...d }) => ({
    ...d,
    channel: rule.channel,
    target: opts.withSecrets ? rule.target : maskTarget(rule.channel, rule.target),
    log: log as AttemptLog[],
  }));
}

export type AttemptLog = { at: string; code: number | null; error: string | null };
