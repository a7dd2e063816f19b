import NextAuth from "next-auth";
import { authOptions, loginLimiter } from "@/server/auth/config";
import { loginRateLimitResponse } from "@/server/auth/credentials";
import { clientIp } from "@/server/auth/login-limiter";

const handler = NextAuth(authOptions);

type Ctx = { params: Promise<{ nextauth: string[] }> };

/** A credentials sign-in while the account or IP is locked out gets 429 + Retry-After before next-auth runs. */
async function POST(req: Request, ctx: Ctx): Promise<Response> {
  if (new URL(req.url).pathname.endsWith("/callback/credentials")) {
    const refused = await loginRateLimitResponse(req, loginLimiter(), clientIp(req.headers));
    if (refused) return refused;
  }
  return handler(req, ctx);
}

export { handler as GET, POST };
