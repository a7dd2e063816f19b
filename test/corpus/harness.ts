// The drift corpus harness: loads the cases and serves them so v1 and v2 of a case are the SAME URL.
// The version comes from the cookie `pacts_corpus_version` ("1" | "2") when the browser sends it, else from a
// per-case switch the judge flips with setVersion(slug, 2). No query string, no path difference: a cached selector
// or a stored fingerprint cannot tell the versions apart by URL.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import type { Step } from "@/domain/step";
import { parseSteps } from "@/server/steps/step-parser";

export const CORPUS_DIR = path.join(import.meta.dirname, "cases");
export const CORPUS_VERSION_COOKIE = "pacts_corpus_version";

export type CorpusVersion = 1 | 2;

export const ZCaseMeta = z
  .object({
    title: z.string().min(1),
    kind: z.enum(["heal", "decoy"]),
    drift: z.string().min(1),
    /** Step line number (1-based, in test.txt) -> key of the element that step must act on. */
    groundTruth: z.record(z.string().regex(/^\d+$/), z.string().min(1)),
    /** Decoys only: line -> key of the similar-looking element that is still there on v2 (must NOT be used). */
    lookalike: z.record(z.string().regex(/^\d+$/), z.string().min(1)).optional(),
  })
  .strict();
export type CaseMeta = z.infer<typeof ZCaseMeta>;

export type CorpusCase = CaseMeta & {
  slug: string;
  dir: string;
  /** test.txt as written (one step per line, no URL: the run starts at caseUrl(slug)). */
  source: string;
  steps: Step[];
  /** Path on the corpus server, e.g. /cases/01-hashed-ids/ */
  path: string;
};

/** Reads every case folder; throws (naming the case and line) when a test.txt does not parse or case.json is wrong. */
export function loadCorpus(dir: string = CORPUS_DIR): CorpusCase[] {
  const slugs = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  if (slugs.length === 0) throw new Error(`no corpus cases under ${dir}`);
  return slugs.map((slug) => {
    const caseDir = path.join(dir, slug);
    for (const f of ["v1.html", "v2.html", "test.txt", "case.json"]) {
      if (!fs.existsSync(path.join(caseDir, f))) throw new Error(`corpus case ${slug}: ${f} is missing`);
    }
    const source = fs.readFileSync(path.join(caseDir, "test.txt"), "utf8");
    const parsed = parseSteps(source);
    if (!parsed.ok) {
      const why = parsed.errors.map((e) => `  line ${e.line}: ${e.text} — ${e.reason}`).join("\n");
      throw new Error(`corpus case ${slug}: test.txt does not parse:\n${why}`);
    }
    const metaRaw: unknown = JSON.parse(fs.readFileSync(path.join(caseDir, "case.json"), "utf8"));
    const meta = ZCaseMeta.safeParse(metaRaw);
    if (!meta.success) throw new Error(`corpus case ${slug}: case.json: ${meta.error.message}`);
    const lines = new Set(parsed.steps.map((s) => s.line));
    for (const line of Object.keys(meta.data.groundTruth)) {
      if (!lines.has(Number(line))) throw new Error(`corpus case ${slug}: groundTruth line ${line} is not a step`);
    }
    return { ...meta.data, slug, dir: caseDir, source, steps: parsed.steps, path: `/cases/${slug}/` };
  });
}

/** The same case as a requirement file (`Test:` / `URL:` / `Test Steps:`) for `pacts run`. */
export function toRequirementText(c: CorpusCase, baseUrl: string): string {
  const steps = c.source
    .split(/\r?\n/)
    .filter((l) => l.trim() !== "" && !/^\s*(?:#|\/\/)/.test(l))
    .map((l, i) => `${i + 1}. ${l.trim()}`);
  return [`Test: corpus ${c.slug}`, `URL: ${new URL(c.path, baseUrl).toString()}`, "Test Steps:", ...steps, ""].join("\n");
}

export type CorpusServer = {
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  caseUrl(slug: string): string;
  setVersion(slug: string, version: CorpusVersion): void;
  getVersion(slug: string): CorpusVersion;
  /** Requests served so far, for tests that want to see the server was really hit. */
  requests: number;
  close(): Promise<void>;
};

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return undefined;
}

/** Serves GET /cases/<slug>/ as v1.html or v2.html on 127.0.0.1 at a random port. */
export async function startCorpusServer(opts: { dir?: string } = {}): Promise<CorpusServer> {
  const dir = opts.dir ?? CORPUS_DIR;
  const versions = new Map<string, CorpusVersion>();
  const state = { requests: 0 };
  const server = http.createServer((req, res) => {
    state.requests++;
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const hit = /^\/cases\/([a-z0-9-]+)(\/?)$/.exec(url.pathname);
    const send = (status: number, body: string, type = "text/plain; charset=utf-8") => {
      res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
      res.end(body);
    };
    if (req.method !== "GET" && req.method !== "HEAD") return send(405, "method not allowed");
    if (url.pathname === "/favicon.ico") return send(204, "");
    if (!hit) return send(404, "not found");
    const slug = hit[1]!;
    const caseDir = path.join(dir, slug);
    if (!fs.existsSync(path.join(caseDir, "v1.html"))) return send(404, `no corpus case ${slug}`);
    if (!hit[2]) {
      res.writeHead(301, { location: `/cases/${slug}/`, "cache-control": "no-store" });
      return res.end();
    }
    const cookie = readCookie(req.headers.cookie, CORPUS_VERSION_COOKIE);
    const version = cookie === "1" || cookie === "2" ? cookie : String(versions.get(slug) ?? 1);
    send(200, fs.readFileSync(path.join(caseDir, `v${version}.html`), "utf8"), "text/html; charset=utf-8");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    caseUrl: (slug) => `${baseUrl}/cases/${slug}/`,
    setVersion: (slug, v) => void versions.set(slug, v),
    getVersion: (slug) => versions.get(slug) ?? 1,
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
