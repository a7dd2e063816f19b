// pino root logger; modules take children with a scope ({workerId, runId}, {requestId}).
import { pino } from "pino";

const globalForLog = globalThis as unknown as { pactsLogger?: pino.Logger };

export const logger: pino.Logger = (globalForLog.pactsLogger ??= pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { svc: process.env.PACTS_SERVICE ?? "pacts" },
}));
