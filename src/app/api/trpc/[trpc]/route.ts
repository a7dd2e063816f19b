import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";
import { getSession } from "@/server/auth";
import { getDb } from "@/server/db";
import { capRequestBody } from "@/server/tokens/http";

// Never redirects: an unauthenticated call gets tRPC's UNAUTHORIZED (HTTP 401 JSON). A body over the cap is a
// 413 before anything reads it as JSON.
const handler = async (raw: Request) => {
  const req = await capRequestBody(raw);
  if (req instanceof Response) return req;
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: async () => createTRPCContext({ db: getDb(), session: await getSession(), headers: req.headers }),
  });
};

export { handler as GET, handler as POST };
