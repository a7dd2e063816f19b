// POST /api/invitations/accept {token, password, name?}: someone without an account accepts an invitation by
// choosing a password (src/server/teams/invitations.ts); they then sign in with the invited e-mail. The token is
// the credential, so this route needs no session (ROUTE_POLICY: PUBLIC). JSON errors; never a redirect.
import { z } from "zod";
import { getDb } from "@/server/db";
import { AppError } from "@/server/errors";
import { acceptAsNewUser } from "@/server/teams/invitations";
import { apiError, jsonResponse, readJsonBody } from "@/server/tokens/http";

export const dynamic = "force-dynamic";

const ZBody = z.strictObject({ token: z.string().min(20).max(100), password: z.string().max(1024), name: z.string().max(200).optional() });

export async function POST(req: Request): Promise<Response> {
  const body = await readJsonBody(req);
  if (!body.ok) return body.response;
  const parsed = ZBody.safeParse(body.value);
  if (!parsed.success) return apiError(400, "BAD_REQUEST", z.prettifyError(parsed.error));
  try {
    const { email } = await acceptAsNewUser(getDb(), parsed.data.token, { password: parsed.data.password, name: parsed.data.name });
    return jsonResponse({ email }, 201);
  } catch (err) {
    if (err instanceof z.ZodError) return apiError(400, "BAD_REQUEST", err.issues.map((i) => i.message).join("; "));
    if (err instanceof AppError && err.code !== "INTERNAL") {
      const status = err.code === "NOT_FOUND" ? 404 : err.code === "FORBIDDEN" ? 403 : 400;
      return apiError(status, err.code === "NOT_FOUND" ? "NOT_FOUND" : err.code === "FORBIDDEN" ? "FORBIDDEN" : "BAD_REQUEST", err.message);
    }
    throw err;
  }
}
