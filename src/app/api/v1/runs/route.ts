// POST /api/v1/runs: queue a run of one of the token's team's tests. Body {testId | testName, dataRow?}.
// 201 {id, status, url, api}; JSON errors otherwise (401 token, 415/413/400 body, 404 test). Never redirects.
import { z } from "zod";
import { getDb } from "@/server/db";
import { apiError, jsonResponse, readJsonBody } from "@/server/tokens/http";
import { triggerApiRun, ZTriggerRunBody } from "@/server/tokens/run-api";
import { apiOrigin, authenticate, errorResponse } from "../_lib/request";

export const dynamic = "force-dynamic";

export async function POST(req: Request): Promise<Response> {
  const caller = await authenticate(req, "api/v1/runs/route.ts");
  if (caller instanceof Response) return caller;

  const body = await readJsonBody(req);
  if (!body.ok) return body.response;
  const parsed = ZTriggerRunBody.safeParse(body.value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    return apiError(400, "BAD_REQUEST", `Invalid body: ${z.prettifyError(parsed.error)}`, { issues });
  }

  const origin = apiOrigin(req);
  try {
    const run = await triggerApiRun(getDb(), { teamId: caller.teamId, origin, body: parsed.data });
    return jsonResponse(run, 201, { Location: run.api });
  } catch (err) {
    return errorResponse(err, { route: "POST /api/v1/runs", teamId: caller.teamId });
  }
}
