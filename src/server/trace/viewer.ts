// Playwright's own trace viewer, served by the dashboard for one run: the static files playwright-core ships
// (lib/vite/traceViewer) and the run's trace.zip, all under /api/runs/<runId>/trace/, each request checked
// against the run's team (a non-member, or a run without a trace, gets 404). The viewer's service worker is
// registered from that folder, so its scope is that one run's viewer. No external site is involved.
import { readFile, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { PrismaClient } from "@/generated/prisma/client";
import { artifactResponse } from "../storage/http";
import { allows, ROUTE_POLICY } from "../teams/policy";
import { TRACE_FILE } from "../runs/trace";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".ttf": "font/ttf",
  ".webmanifest": "application/manifest+json",
  ".json": "application/json",
  ".png": "image/png",
};

let viewerDir: string | undefined;
/** playwright-core's bundled trace viewer folder. */
export function traceViewerDir(): string {
  if (viewerDir) return viewerDir;
  let root: string;
  try {
    root = path.dirname(createRequire(import.meta.url).resolve("playwright-core/package.json"));
  } catch {
    root = path.join(process.cwd(), "node_modules", "playwright-core");
  }
  return (viewerDir = path.join(root, "lib", "vite", "traceViewer"));
}

const notFound = () => new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });

/** The URL path the viewer of a run lives under (the trailing slash matters: its files are relative). */
export const traceViewerBase = (runId: string) => `/api/runs/${encodeURIComponent(runId)}/trace/`;

/**
 * Answers GET <base><file> for a signed-in user. `file` is the path below the base ("" = index.html,
 * "trace.zip" = the run's trace).
 */
export async function traceViewerResponse(db: PrismaClient, userId: string, runId: string, file: string): Promise<Response> {
  if (runId.length > 100 || file.length > 200) return notFound();
  const trace = await db.artifact.findFirst({
    where: { runId, type: "TRACE" },
    orderBy: { createdAt: "desc" },
    select: { id: true, filePath: true, mime: true, run: { select: { teamId: true } } },
  });
  if (!trace) return notFound();
  const member = await db.membership.findUnique({ where: { userId_teamId: { userId, teamId: trace.run.teamId } }, select: { role: true } });
  if (!member || !allows(member.role, ROUTE_POLICY["api/runs/[id]/trace/[[...path]]/route.ts"])) return notFound();
  if (file === TRACE_FILE) return (await artifactResponse({ ...trace, mime: "application/zip" }, { cacheControl: "private, no-cache" })) ?? notFound();

  const rel = file === "" ? "index.html" : file;
  if (!/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)?$/.test(rel) || rel.includes("..")) return notFound();
  const dir = traceViewerDir();
  const full = path.join(dir, rel);
  if (!full.startsWith(dir + path.sep)) return notFound();
  const info = await stat(full).catch(() => null);
  if (!info?.isFile()) return notFound();
  const body = await readFile(full);
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: {
      "Content-Type": TYPES[path.extname(rel)] ?? "application/octet-stream",
      "Content-Length": String(body.byteLength),
      "Cache-Control": "private, max-age=300",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
