// Alerts end to end on loopback: rules evaluated as runs finish (the function src/server/runs/execute-run.ts calls
// when it settles a run), deliveries sent by the worker loop's alert tick to a real HTTP server that fails once then
// succeeds (delivered once, valid X-Pacts-Signature, retry logged with its codes), to a Slack-style endpoint and to
// a real SMTP server (smtp-server) through nodemailer; plus the router's roles, validation and "send test".
import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestBrowser } from "../../../test/helpers/browser";
import { createTestDatabase } from "../../../test/helpers/test-db";
import { runWorkerLoop } from "../../../worker/loop";
import { createCaller } from "../api/root";
import { TEAM_COOKIE } from "../api/trpc";
import { resetServerEnv } from "../env";
import { claimRuns } from "../queue/claim";
import { MAX_ATTEMPTS } from "../queue/settle";
import { enqueueRun } from "../runs/enqueue";
import { executeRun } from "../runs/execute-run";
import { parseSteps } from "../steps/step-parser";
import { evaluateRunAlerts } from "./evaluate";
import { createAlertRule } from "./rules";

type Hit = { path: string; headers: IncomingHttpHeaders; body: string };

const browser = useTestBrowser();
let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
let http: Server;
let httpUrl: string;
const hits: Hit[] = [];
/** Per path: status codes to answer with, in order; then 200. */
const script = new Map<string, number[]>();
let smtp: SMTPServer;
let smtpUrl: string;
const mails: { to: string[]; data: string }[] = [];
const PUBLIC = "https://pacts.example.com";
const savedEnv = { DATABASE_URL: process.env.DATABASE_URL, SMTP_URL: process.env.SMTP_URL };

beforeAll(async () => {
  tdb = await createTestDatabase("server/alerts");
  http = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const path = req.url ?? "/";
      hits.push({ path, headers: req.headers, body });
      if (path === "/shop") {
        res.writeHead(200, { "Content-Type": "text/html" }).end("<!doctype html><title>Shop</title><button>Pay</button><p>Payment declined</p>");
        return;
      }
      const code = script.get(path)?.shift() ?? 200;
      res.writeHead(code, { "Content-Type": "text/plain" }).end(code === 200 ? "ok" : "try again");
    });
  });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, cb) {
      let data = "";
      stream.on("data", (c: Buffer) => (data += c.toString()));
      stream.on("end", () => {
        mails.push({ to: session.envelope.rcptTo.map((a) => a.address), data });
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", () => r()));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  // The router's "send test" reads the environment.
  process.env.DATABASE_URL = tdb.url;
  process.env.SMTP_URL = smtpUrl;
  resetServerEnv();
});

afterAll(async () => {
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetServerEnv();
  await new Promise((r) => http?.close(r));
  await new Promise((r) => (smtp ? smtp.close(() => r(undefined)) : r(undefined)));
  await tdb?.drop();
});

let clock = Date.UTC(2030, 0, 1);
/** A run of `testId` that finished now-ish (each one later than the last), with its failing step when it failed. */
async function finishedRun(teamId: string, testId: string, status: "PASSED" | "FAILED" | "BLOCKED"): Promise<string> {
  clock += 60_000;
  const failed = status === "FAILED";
  const run = await tdb.db.run.create({
    data: {
      teamId,
      testId,
      testName: "Checkout",
      url: "http://127.0.0.1:9/",
      steps: [],
      status,
      verdict: failed ? "ASSERTION_FAILED" : status === "BLOCKED" ? "BLOCKED" : "CLEAN",
      errorMessage: failed ? "Expected text “Thank you” was not found" : null,
      startTime: new Date(clock - 1000),
      endTime: new Date(clock),
      runSteps: {
        create: [
          { stepIdx: 0, text: "Click Pay", action: "click", status: "PASSED" },
          { stepIdx: 1, text: 'Expect text "Thank you"', action: "expectText", status: failed ? "FAILED" : "PASSED", errorMessage: failed ? "not found" : null },
        ],
      },
    },
  });
  return run.id;
}

describe("alerts", () => {
  it("fires on the Nth consecutive failure, on recovery and on heals needing review; retries a webhook until it is delivered once", async () => {
    const db = tdb.db;
    const team = await db.team.create({ data: { name: "Shop", slug: "alerts-shop" } });
    const test = await db.test.create({ data: { teamId: team.id, name: "Checkout", startUrl: "http://127.0.0.1:9/", source: "x", steps: [] } });
    const other = await db.test.create({ data: { teamId: team.id, name: "Other", startUrl: "http://127.0.0.1:9/", source: "x", steps: [] } });
    const hook = await createAlertRule(db, team.id, { testId: test.id, event: "FAILURE", threshold: 2, channel: "WEBHOOK", target: `${httpUrl}/hook` });
    await createAlertRule(db, team.id, { testId: null, event: "FAILURE", threshold: 2, channel: "EMAIL", target: "oncall@example.com" });
    await createAlertRule(db, team.id, { testId: test.id, event: "RECOVERY", threshold: 2, channel: "SLACK", target: `${httpUrl}/slack` });
    await createAlertRule(db, team.id, { testId: test.id, event: "HEAL_REVIEW", channel: "WEBHOOK", target: `${httpUrl}/review` });
    // A rule of another test never fires for this one.
    await createAlertRule(db, team.id, { testId: other.id, event: "FAILURE", threshold: 1, channel: "WEBHOOK", target: `${httpUrl}/other` });
    script.set("/hook", [500]);
    const evaluate = (id: string) => evaluateRunAlerts(db, id, { publicUrl: PUBLIC });

    expect(await evaluate(await finishedRun(team.id, test.id, "FAILED"))).toHaveLength(0); // 1 failure: below 2
    const second = await finishedRun(team.id, test.id, "FAILED");
    expect(await evaluate(second)).toHaveLength(2); // webhook + e-mail
    expect(await evaluate(second)).toHaveLength(0); // evaluated twice, queued once
    expect(await evaluate(await finishedRun(team.id, test.id, "BLOCKED"))).toHaveLength(0); // neither fails nor recovers
    expect(await evaluate(await finishedRun(team.id, test.id, "FAILED"))).toHaveLength(0); // 3rd: already alerted
    const pass = await finishedRun(team.id, test.id, "PASSED");
    await db.healEvent.create({ data: { runId: pass, stepIdx: 0, elementName: "Pay", urlPattern: "/", outcome: "UNVERIFIED", durationMs: 5 } });
    expect(await evaluate(pass)).toHaveLength(2); // recovery + heal review

    const stop = new AbortController();
    const loop = runWorkerLoop({
      db,
      workerId: "alerts-test",
      getBrowser: () => Promise.reject(new Error("no browser in this test")),
      listener: { wait: (ms: number) => new Promise((r) => setTimeout(() => r("timeout"), Math.min(ms, 100))) },
      pollMs: 100,
      log: pino({ level: "silent" }),
      signal: stop.signal,
      alerts: { everyMs: 100, retryBaseMs: 300, maxAttempts: 5, mail: { smtpUrl, from: "PACTS <pacts@example.com>" }, publicUrl: PUBLIC },
    });
    try {
      await expect
        .poll(async () => (await db.alertDelivery.findMany({ where: { status: { not: "DELIVERED" } } })).length, { timeout: 45_000, interval: 200 })
        .toBe(0);
    } finally {
      stop.abort();
      await loop;
    }

    // The webhook: refused once (500), then accepted; exactly one 2xx, and the log has both codes.
    const hookHits = hits.filter((h) => h.path === "/hook");
    expect(hookHits).toHaveLength(2);
    const delivery = await db.alertDelivery.findFirstOrThrow({ where: { ruleId: hook.id } });
    expect(delivery).toMatchObject({ runId: second, status: "DELIVERED", attempts: 2, lastStatusCode: 200, lastError: null });
    expect((delivery.log as { code: number }[]).map((l) => l.code)).toEqual([500, 200]);
    const last = hookHits[1]!;
    expect(last.body).toBe(hookHits[0]!.body);
    const expected = `sha256=${createHmac("sha256", hook.secret!).update(last.body).digest("hex")}`;
    expect(last.headers["x-pacts-signature"]).toBe(expected);
    expect(last.headers["x-pacts-delivery"]).toBe(delivery.id);
    expect(last.headers["content-type"]).toBe("application/json");
    const body = JSON.parse(last.body);
    expect(body).toMatchObject({
      event: "FAILURE",
      test: false,
      testCase: { id: test.id, name: "Checkout" },
      team: { id: team.id, name: "Shop" },
      consecutiveFailures: 2,
      run: {
        id: second,
        status: "FAILED",
        verdict: "ASSERTION_FAILED",
        url: `${PUBLIC}/runs/${second}`,
        failingStep: { index: 1, text: 'Expect text "Thank you"', error: "not found" },
      },
    });
    // A wrong signature key would not verify.
    expect(createHmac("sha256", "wrong").update(last.body).digest("hex")).not.toBe(expected.slice(7));

    // The e-mail reached the SMTP server, naming the test, the step, the verdict and the link.
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual(["oncall@example.com"]);
    const mail = mails[0]!.data.replace(/=\r?\n/g, "");
    expect(mail).toMatch(/Subject: \[PACTS\] Checkout failed/);
    expect(mail).toContain("ASSERTION_FAILED");
    expect(mail).toContain("Expect text");
    expect(mail).toContain(`${PUBLIC}/runs/${second}`);
    expect((await db.alertDelivery.findFirstOrThrow({ where: { rule: { channel: "EMAIL" } } })).lastStatusCode).toBe(250);

    // Slack-compatible: {text}; the recovery names the failures before it.
    const slack = hits.filter((h) => h.path === "/slack");
    expect(slack).toHaveLength(1);
    expect(JSON.parse(slack[0]!.body).text).toMatch(/Checkout recovered[\s\S]*Passed after 3 failed runs/);
    expect(hits.filter((h) => h.path === "/review")).toHaveLength(1);
    expect(hits.filter((h) => h.path === "/other")).toHaveLength(0);
  });

  it("a run settled by executeRun queues its alert (the finalize hook)", async () => {
    const db = tdb.db;
    const team = await db.team.create({ data: { name: "Real", slug: "alerts-real" } });
    const source = 'Click the Pay button\nExpect text "Thank you"';
    const parsed = parseSteps(source);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const test = await db.test.create({ data: { teamId: team.id, name: "Pay", startUrl: `${httpUrl}/shop`, source, steps: parsed.steps } });
    const rule = await createAlertRule(db, team.id, { testId: test.id, event: "FAILURE", threshold: 1, channel: "WEBHOOK", target: `${httpUrl}/real` });
    const { id } = await enqueueRun(db, { teamId: team.id, testId: test.id, trigger: "MANUAL" });
    const [run] = await claimRuns(db, "alerts-exec", 1);
    expect(run?.id).toBe(id);
    expect(await executeRun(db, run!, { workerId: "alerts-exec", browser: browser(), log: pino({ level: "silent" }), cache: null })).toBe("FAILED");
    const d = await db.alertDelivery.findFirstOrThrow({ where: { ruleId: rule.id } });
    expect(d).toMatchObject({ runId: id, status: "PENDING", event: "FAILURE" });
    expect(d.payload).toMatchObject({
      testCase: { id: test.id, name: "Pay" },
      run: { id, status: "FAILED", verdict: "ASSERTION_FAILED", failingStep: { index: 1, text: 'Expect text "Thank you"' } },
    });
  });

  it("a run the stale sweep ends ERROR (worker lost on its last attempt) fires its alert", async () => {
    const db = tdb.db;
    const team = await db.team.create({ data: { name: "Lost", slug: "alerts-lost" } });
    const test = await db.test.create({ data: { teamId: team.id, name: "Lost", startUrl: "http://127.0.0.1:9/", source: "x", steps: [] } });
    const rule = await createAlertRule(db, team.id, { testId: test.id, event: "FAILURE", channel: "EMAIL", target: "lost@example.com" });
    const old = new Date(Date.now() - 60_000);
    const run = await db.run.create({
      data: { teamId: team.id, testId: test.id, testName: "Lost", url: "http://127.0.0.1:9/", steps: [], status: "RUNNING", attempts: MAX_ATTEMPTS, workerId: "dead-worker", lockedAt: old, heartbeatAt: old, startTime: old },
    });
    const stop = new AbortController();
    const loop = runWorkerLoop({
      db,
      workerId: "alerts-sweeper",
      getBrowser: () => Promise.reject(new Error("no browser in this test")),
      listener: { wait: (ms: number) => new Promise((r) => setTimeout(() => r("timeout"), Math.min(ms, 100))) },
      pollMs: 100,
      heartbeatMs: 200,
      staleAfterMs: 1000,
      log: pino({ level: "silent" }),
      signal: stop.signal,
      alerts: { everyMs: 0, retryBaseMs: 100, maxAttempts: 3, mail: { smtpUrl, from: "x@example.com" }, publicUrl: PUBLIC },
    });
    try {
      await expect.poll(() => db.alertDelivery.count({ where: { ruleId: rule.id } }), { timeout: 30_000, interval: 200 }).toBe(1);
    } finally {
      stop.abort();
      await loop;
    }
    expect((await db.run.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("ERROR");
    const d = await db.alertDelivery.findFirstOrThrow({ where: { ruleId: rule.id } });
    expect(d).toMatchObject({ runId: run.id, event: "FAILURE" });
    expect(d.payload).toMatchObject({ run: { status: "ERROR", url: `${PUBLIC}/runs/${run.id}` } });
  });

  it("gives up after maxAttempts and logs every code", async () => {
    const db = tdb.db;
    const team = await db.team.create({ data: { name: "Down", slug: "alerts-down" } });
    const test = await db.test.create({ data: { teamId: team.id, name: "T", startUrl: "http://127.0.0.1:9/", source: "x", steps: [] } });
    const rule = await createAlertRule(db, team.id, { testId: test.id, event: "FAILURE", channel: "WEBHOOK", target: `${httpUrl}/down` });
    script.set("/down", [503, 503, 503]);
    await evaluateRunAlerts(db, await finishedRun(team.id, test.id, "FAILED"), { publicUrl: PUBLIC });
    const stop = new AbortController();
    const loop = runWorkerLoop({
      db,
      workerId: "alerts-down",
      getBrowser: () => Promise.reject(new Error("no browser in this test")),
      listener: { wait: (ms: number) => new Promise((r) => setTimeout(() => r("timeout"), Math.min(ms, 100))) },
      pollMs: 100,
      log: pino({ level: "silent" }),
      signal: stop.signal,
      alerts: { everyMs: 100, retryBaseMs: 100, maxAttempts: 3, mail: { smtpUrl, from: "x@example.com" }, publicUrl: PUBLIC },
    });
    try {
      await expect.poll(async () => (await db.alertDelivery.findFirstOrThrow({ where: { ruleId: rule.id } })).status, { timeout: 30_000, interval: 200 }).toBe("FAILED");
    } finally {
      stop.abort();
      await loop;
    }
    const d = await db.alertDelivery.findFirstOrThrow({ where: { ruleId: rule.id } });
    expect(d).toMatchObject({ attempts: 3, lastStatusCode: 503 });
    expect((d.log as { code: number }[]).map((l) => l.code)).toEqual([503, 503, 503]);
    expect(hits.filter((h) => h.path === "/down")).toHaveLength(3);
  });

  it("router: members read (URLs masked), admins edit and send a test", async () => {
    const db = tdb.db;
    const team = await db.team.create({ data: { name: "Roles", slug: "alerts-roles" } });
    const admin = await db.user.create({ data: { email: "al-admin@example.com", memberships: { create: { teamId: team.id, role: "ADMIN" } } } });
    const member = await db.user.create({ data: { email: "al-member@example.com", memberships: { create: { teamId: team.id, role: "MEMBER" } } } });
    const as = (u: { id: string; email: string }) => createCaller({ db, session: { user: u }, headers: new Headers({ cookie: `${TEAM_COOKIE}=${team.id}` }) });

    await expect(as(member).alert.create({ testId: null, event: "FAILURE", threshold: 1, channel: "WEBHOOK", target: `${httpUrl}/t` })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(as(admin).alert.create({ testId: null, event: "FAILURE", threshold: 1, channel: "WEBHOOK", target: "ftp://x" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(as(admin).alert.create({ testId: null, event: "FAILURE", threshold: 1, channel: "EMAIL", target: "not-an-address" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(as(admin).alert.create({ testId: "elsewhere", event: "FAILURE", threshold: 1, channel: "EMAIL", target: "a@example.com" })).rejects.toMatchObject({ code: "NOT_FOUND" });

    const created = await as(admin).alert.create({ testId: null, event: "FAILURE", threshold: 1, channel: "WEBHOOK", target: `${httpUrl}/t/secret-path` });
    expect(created.secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const seenByMember = await as(member).alert.list();
    expect(seenByMember.canManage).toBe(false);
    expect(seenByMember.rules[0]).toMatchObject({ target: `${httpUrl}/…`, secret: null });
    expect((await as(admin).alert.list()).rules[0]).toMatchObject({ target: `${httpUrl}/t/secret-path`, secret: created.secret });

    await expect(as(member).alert.sendTest({ id: created.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    // A worker's alert tick runs meanwhile: the test delivery is sent by the request alone, once.
    const stop = new AbortController();
    const loop = runWorkerLoop({
      db,
      workerId: "alerts-router",
      getBrowser: () => Promise.reject(new Error("no browser in this test")),
      listener: { wait: (ms: number) => new Promise((r) => setTimeout(() => r("timeout"), Math.min(ms, 100))) },
      pollMs: 100,
      log: pino({ level: "silent" }),
      signal: stop.signal,
      alerts: { everyMs: 20, retryBaseMs: 100, maxAttempts: 3, mail: { smtpUrl, from: "x@example.com" }, publicUrl: PUBLIC },
    });
    let sent;
    try {
      sent = await as(admin).alert.sendTest({ id: created.id });
      // Proof the tick ran after the send: a delivery queued now is sent by the worker.
      const marker = await createAlertRule(db, team.id, { testId: null, event: "FAILURE", channel: "SLACK", target: `${httpUrl}/marker` });
      await db.alertDelivery.create({ data: { ruleId: marker.id, teamId: team.id, event: "FAILURE", payload: { event: "FAILURE", title: "m", text: "m" } } });
      await expect.poll(() => hits.filter((h) => h.path === "/marker").length, { timeout: 30_000, interval: 100 }).toBe(1);
      await db.alertRule.delete({ where: { id: marker.id } });
    } finally {
      stop.abort();
      await loop;
    }
    expect(sent).toMatchObject({ status: "DELIVERED", code: 200, error: null });
    expect(hits.filter((h) => h.path === "/t/secret-path")).toHaveLength(1);
    const hit = hits.find((h) => h.path === "/t/secret-path")!;
    expect(hit.headers["x-pacts-signature"]).toBe(`sha256=${createHmac("sha256", created.secret!).update(hit.body).digest("hex")}`);
    expect(JSON.parse(hit.body)).toMatchObject({ test: true, event: "FAILURE", run: null });

    const mailRule = await as(admin).alert.create({ testId: null, event: "RECOVERY", threshold: 1, channel: "EMAIL", target: "team@example.com" });
    expect(await as(admin).alert.sendTest({ id: mailRule.id })).toMatchObject({ status: "DELIVERED", code: 250 });
    expect(mails.some((m) => m.to.includes("team@example.com"))).toBe(true);

    const log = await as(member).alert.deliveries();
    expect(log.map((d) => [d.isTest, d.status, d.lastStatusCode])).toEqual([
      [true, "DELIVERED", 250],
      [true, "DELIVERED", 200],
    ]);
    expect(log[1]!.target).toBe(`${httpUrl}/…`);

    await as(admin).alert.update({ id: created.id, enabled: false });
    expect((await as(admin).alert.list()).rules.find((r) => r.id === created.id)?.enabled).toBe(false);
    await expect(as(member).alert.delete({ id: created.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await as(admin).alert.delete({ id: created.id });
    expect((await as(admin).alert.list()).rules.map((r) => r.id)).toEqual([mailRule.id]);
  });
});
