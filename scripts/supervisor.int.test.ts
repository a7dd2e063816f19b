// The supervisor scripts/start.ts runs web and worker under: a worker SIGKILLed is restarted with backoff while
// the web app (a small HTTP server child here) keeps answering; a worker that keeps dying is given up on after
// maxRestarts within the window, reported, and the web app still answers; the web app dying is fatal.
import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { backoffDelay, DEFAULT_RESTART_POLICY, Supervisor, type SupervisorEvent } from "./supervisor";

const WEB = `
const http = require("node:http");
const s = http.createServer((_q, r) => r.end("web " + process.pid));
s.listen(0, "127.0.0.1", () => console.log("PORT=" + s.address().port));
process.on("SIGTERM", () => s.close(() => process.exit(0)));`;
const WORKER = `setInterval(() => {}, 1000); process.on("SIGTERM", () => process.exit(0));`;
const CRASHER = `setTimeout(() => process.exit(3), 50);`;

let sup: Supervisor | undefined;
afterEach(async () => {
  await sup?.stop(2000);
  sup = undefined;
});

function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path: "/", agent: false }, (res) => {
        let body = "";
        res.on("data", (d: Buffer) => (body += d.toString()));
        res.on("end", () => resolve(body));
      })
      .on("error", reject);
  });
}

function startWeb(s: Supervisor): Promise<number> {
  s.add({ name: "web", mode: "critical", command: process.execPath, args: ["-e", WEB], stdio: "pipe" });
  return new Promise((resolve) => {
    let out = "";
    s.child("web")!.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /PORT=(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
  });
}

describe("Supervisor", () => {
  it("restarts a SIGKILLed worker with growing backoff; the web app keeps answering", async () => {
    const events: SupervisorEvent[] = [];
    const fatal: string[] = [];
    const logs: string[] = [];
    sup = new Supervisor({ log: (m) => logs.push(m), onFatal: (n) => fatal.push(n), onEvent: (e) => events.push(e) });
    const port = await startWeb(sup);
    const webPid = sup.child("web")!.pid;
    expect(await get(port)).toBe(`web ${webPid}`);

    const policy = { initialDelayMs: 100, factor: 2, maxDelayMs: 1000, maxRestarts: 5, windowMs: 60_000, stableAfterMs: 60_000 };
    sup.add({ name: "worker", mode: "restart", command: process.execPath, args: ["-e", WORKER], stdio: "ignore", policy });
    const pids: number[] = [sup.child("worker")!.pid!];
    for (let i = 0; i < 2; i++) {
      process.kill(pids.at(-1)!, "SIGKILL");
      await expect.poll(() => sup!.child("worker")?.pid, { timeout: 20_000, interval: 50 }).not.toBe(pids.at(-1));
      await expect.poll(() => sup!.child("worker")?.pid, { timeout: 20_000, interval: 50 }).toBeDefined();
      pids.push(sup.child("worker")!.pid!);
      // The web app never noticed.
      expect(await get(port)).toBe(`web ${webPid}`);
    }
    expect(new Set(pids).size).toBe(3);
    expect(sup.restarts("worker")).toBe(2);
    const delays = events.filter((e) => e.type === "restarting").map((e) => (e as { delayMs: number }).delayMs);
    expect(delays).toEqual([100, 200]);
    expect(events.filter((e) => e.type === "exited" && e.name === "worker").map((e) => (e as { signal: string | null }).signal)).toEqual(["SIGKILL", "SIGKILL"]);
    expect(logs.some((l) => /worker exited unexpectedly \(SIGKILL\); restarting in 0\.1 s/.test(l))).toBe(true);
    expect(fatal).toEqual([]);
    expect(sup.child("web")!.pid).toBe(webPid);
  });

  it("gives up on a crash loop after maxRestarts within the window, reports it, and keeps the web app up", async () => {
    const events: SupervisorEvent[] = [];
    const fatal: string[] = [];
    const logs: string[] = [];
    sup = new Supervisor({ log: (m) => logs.push(m), onFatal: (n) => fatal.push(n), onEvent: (e) => events.push(e) });
    const port = await startWeb(sup);
    const policy = { initialDelayMs: 20, factor: 2, maxDelayMs: 100, maxRestarts: 3, windowMs: 60_000, stableAfterMs: 60_000 };
    sup.add({ name: "worker", mode: "restart", command: process.execPath, args: ["-e", CRASHER], stdio: "ignore", policy });
    await expect.poll(() => sup!.status("worker"), { timeout: 30_000, interval: 50 }).toBe("gave-up");
    // 1 start + 3 restarts, then no more.
    expect(events.filter((e) => e.type === "started" && e.name === "worker")).toHaveLength(4);
    expect(events.filter((e) => e.type === "gave-up")).toEqual([{ type: "gave-up", name: "worker", restarts: 3, windowMs: 60_000 }]);
    expect(logs.at(-1)).toMatch(/worker exited \(code 3\) after 3 restarts within 60 s: a crash loop/);
    expect(sup.child("worker")).toBeUndefined();
    expect(await get(port)).toMatch(/^web \d+$/);
    expect(fatal).toEqual([]);
  });

  it("reports a critical service's exit as fatal", async () => {
    const fatal: string[] = [];
    sup = new Supervisor({ log: () => undefined, onFatal: (n) => fatal.push(n) });
    await startWeb(sup);
    process.kill(sup.child("web")!.pid!, "SIGKILL");
    await expect.poll(() => fatal, { timeout: 20_000 }).toEqual(["web"]);
  });

  it("backoff doubles up to the cap", () => {
    const p = { ...DEFAULT_RESTART_POLICY, initialDelayMs: 1000, maxDelayMs: 5000 };
    expect(backoffDelay(p, undefined)).toBe(1000);
    expect(backoffDelay(p, 1000)).toBe(2000);
    expect(backoffDelay(p, 4000)).toBe(5000);
  });
});
