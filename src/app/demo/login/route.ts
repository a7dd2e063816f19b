// The bundled demo site: ONE url, two versions chosen by the `pacts_demo_version` cookie (the worker sets
// it from Team.demoVersion; the dashboard's switch sets it for the user's own browser).
import type { NextRequest } from "next/server";
import { DEMO_VERSION_COOKIE, demoLoginHtml, parseDemoVersion } from "@/demo-site";

export const dynamic = "force-dynamic";

export function GET(req: NextRequest): Response {
  const version = parseDemoVersion(req.cookies.get(DEMO_VERSION_COOKIE)?.value);
  return new Response(demoLoginHtml(version), {
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      Vary: "Cookie",
    },
  });
}
