import { memberRouter } from "@/server/api/routers/member";
import { alertRouter } from "@/server/api/routers/alert";
import { metricsRouter } from "@/server/api/routers/metrics";
import { retentionRouter } from "@/server/api/routers/retention";
import { reviewRouter } from "@/server/api/routers/review";
import { runRouter } from "@/server/api/routers/run";
import { scheduleRouter } from "@/server/api/routers/schedule";
import { teamRouter } from "@/server/api/routers/team";
import { testRouter } from "@/server/api/routers/test";
import { tokenRouter } from "@/server/api/routers/token";
import { createCallerFactory, createTRPCRouter } from "@/server/api/trpc";

export const appRouter = createTRPCRouter({
  team: teamRouter,
  test: testRouter,
  run: runRouter,
  token: tokenRouter,
  metrics: metricsRouter,
  schedule: scheduleRouter,
  retention: retentionRouter,
  member: memberRouter,
  alert: alertRouter,
  review: reviewRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
