import { z } from "zod";
import { createTRPCRouter, teamAdminProcedure, teamProcedure } from "@/server/api/trpc";
import { attemptDelivery } from "@/server/alerts/dispatch";
import { testPayload } from "@/server/alerts/payload";
import {
  createAlertRule,
  deleteAlertRule,
  listAlertDeliveries,
  listAlertRules,
  updateAlertRule,
  ZAlertRuleInput,
  ZAlertRuleUpdate,
} from "@/server/alerts/rules";
import { serverEnv } from "@/server/env";
import { AppError } from "@/server/errors";

const ZId = z.object({ id: z.string().min(1).max(100) });
const SEND_TEST_LEASE_MS = 10 * 60_000;

// Alert rules and their delivery log: members see them (webhook URLs masked), owners and admins edit and test.
export const alertRouter = createTRPCRouter({
  list: teamProcedure.query(async ({ ctx }) => {
    const canManage = ctx.team.role === "OWNER" || ctx.team.role === "ADMIN";
    const [rules, tests] = await Promise.all([
      listAlertRules(ctx.db, ctx.team.id, { withSecrets: canManage }),
      ctx.db.test.findMany({ where: { teamId: ctx.team.id }, orderBy: { name: "asc" }, select: { id: true, name: true } }),
    ]);
    return { rules, tests, canManage, emailConfigured: Boolean(serverEnv().SMTP_URL) };
  }),

  deliveries: teamProcedure.query(({ ctx }) =>
    listAlertDeliveries(ctx.db, ctx.team.id, { withSecrets: ctx.team.role === "OWNER" || ctx.team.role === "ADMIN" }),
  ),

  /** Returns the webhook signing secret (null for Slack and e-mail). */
  create: teamAdminProcedure.input(ZAlertRuleInput).mutation(({ ctx, input }) => createAlertRule(ctx.db, ctx.team.id, input)),

  update: teamAdminProcedure.input(ZAlertRuleUpdate).mutation(({ ctx, input }) => updateAlertRule(ctx.db, ctx.team.id, input)),

  delete: teamAdminProcedure.input(ZId).mutation(({ ctx, input }) => deleteAlertRule(ctx.db, ctx.team.id, input.id)),

  /** Sends a test alert through the rule's channel now, once (no retries), and logs it like any delivery. */
  sendTest: teamAdminProcedure.input(ZId).mutation(async ({ ctx, input }) => {
    const rule = await ctx.db.alertRule.findFirst({ where: { id: input.id, teamId: ctx.team.id }, select: { id: true, event: true, test: { select: { name: true } } } });
    if (!rule) throw new AppError("NOT_FOUND", "Alert rule not found");
    const delivery = await ctx.db.alertDelivery.create({
      data: {
        ruleId: rule.id,
        teamId: ctx.team.id,
        event: rule.event,
        isTest: true,
        payload: testPayload(rule.event, { id: ctx.team.id, name: ctx.team.name }, rule.test?.name ?? null),
        // Leased to this request from the start, so no worker's alert tick sends it as well.
        nextAttemptAt: new Date(Date.now() + SEND_TEST_LEASE_MS),
      },
      select: { id: true },
    });
    const env = serverEnv();
    const res = await attemptDelivery(ctx.db, delivery.id, {
      mail: { smtpUrl: env.SMTP_URL, from: env.ALERT_EMAIL_FROM },
      retryBaseMs: env.ALERT_RETRY_BASE_MS,
      maxAttempts: 1,
    });
    return { deliveryId: delivery.id, ...res };
  }),
});
