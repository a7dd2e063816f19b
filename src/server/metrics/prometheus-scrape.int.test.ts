// A real Prometheus server (Debian's /usr/bin/prometheus) on loopback scrapes our exposition from a tiny HTTP
// server and we read a value back through its query API: proves the text is scrapeable end to end.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../test/helpers/test-db";
import { CONTENT_TYPE, renderMetrics } from "./prometheus";
import { recordRunFinished } from "./rollups";

// scripts/bootstrap.sh puts it in /usr/local/bin when Debian's package is not installed.
const PROMETHEUS = ["/usr/local/bin/prometheus", "/usr/bin/prometheus"].find((p) => existsSync(p)) ?? "/usr/bin/prometheus";

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let server: Server;
let prom: ChildProcess | undefined;
let dir: string;
let promLog = "";
let promUrl = "";

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

beforeAll(async () => {
  if (!existsSync(PROMETHEUS)) throw new Error(`${PROMETHEUS} is missing: apt-get download prometheus && dpkg -x (see scripts/bootstrap.sh)`);
  t = await createTestDatabase("metrics-prom-scrape");
  for (let i = 0; i < 7; i++) await recordRunFinished(t.db, { teamId: "team-p", status: "PASSED", durationMs: 1500 });
  await recordRunFinished(t.db, { teamId: "team-p", status: "FAILED", durationMs: 2500 });

  server = createServer((req, res) => {
    if (req.url !== "/api/metrics") {
      res.writeHead(404).end();
      return;
    }
    renderMetrics(t.db).then(
      (text) => res.writeHead(200, { "Content-Type": CONTENT_TYPE }).end(text),
      (err: unknown) => res.writeHead(500).end(String(err)),
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const target = `127.0.0.1:${(server.address() as AddressInfo).port}`;

  dir = await mkdtemp(path.join(tmpdir(), "pacts-prom-"));
  const config = path.join(dir, "prometheus.yml");
  await writeFile(
    config,
    [
      "global:",
      "  scrape_interval: 1s",
      "  evaluation_interval: 1s",
      "scrape_configs:",
      "  - job_name: pacts",
      "    metrics_path: /api/metrics",
      "    static_configs:",
      `      - targets: ["${target}"]`,
      "",
    ].join("\n"),
  );
  const webPort = await freePort();
  prom = spawn(
    PROMETHEUS,
    [`--config.file=${config}`, `--storage.tsdb.path=${path.join(dir, "data")}`, `--web.listen-address=127.0.0.1:${webPort}`],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  prom.stdout?.on("data", (d: Buffer) => (promLog += d.toString()));
  prom.stderr?.on("data", (d: Buffer) => (promLog += d.toString()));
  promUrl = `http://127.0.0.1:${webPort}`;
}, 60_000);

afterAll(async () => {
  if (prom && prom.exitCode === null) {
    prom.kill("SIGTERM");
    await new Promise<void>((r) => {
      const timer = setTimeout(() => {
        prom?.kill("SIGKILL");
        r();
      }, 5000);
      prom?.once("exit", () => {
        clearTimeout(timer);
        r();
      });
    });
  }
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  if (dir) await rm(dir, { recursive: true, force: true });
  await t?.drop();
});

type QueryResult = { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };

async function query(base: string, q: string): Promise<QueryResult["data"]["result"]> {
  const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(q)}`);
  if (!res.ok) return [];
  const body = (await res.json()) as QueryResult;
  return body.status === "success" ? body.data.result : [];
}

describe("a real Prometheus scrapes /api/metrics", () => {
  it("reads pacts_runs_total back through the query API", async () => {
    const base = promUrl;
    const deadline = Date.now() + 40_000;
    let result: Awaited<ReturnType<typeof query>> = [];
    while (Date.now() < deadline) {
      result = await query(base, 'pacts_runs_total{status="passed"}').catch(() => []);
      if (result.length > 0) break;
      if (prom?.exitCode !== null) throw new Error(`prometheus exited: ${promLog.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(result, promLog.slice(-2000)).toHaveLength(1);
    expect(result[0]!.metric).toMatchObject({ __name__: "pacts_runs_total", status: "passed", job: "pacts" });
    expect(Number(result[0]!.value[1])).toBe(7);

    const failed = await query(base, 'pacts_runs_total{status="failed"}');
    expect(Number(failed[0]?.value[1])).toBe(1);
    const count = await query(base, "pacts_run_duration_seconds_count");
    expect(Number(count[0]?.value[1])).toBe(8);
    // The scrape itself was healthy (no parse errors on Prometheus' side).
    const up = await query(base, 'up{job="pacts"}');
    expect(Number(up[0]?.value[1])).toBe(1);
  }, 60_000);
});
