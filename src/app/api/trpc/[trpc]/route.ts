import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";
import { getSession } from "@/server/auth";
import { getDb } from "@/server/db";

// Never redirects: an unauthenticated call gets tRPC's UNAUTHORIZED (HTTP 401 JSON).
const handler = (req: Request) =>
  fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: async () => createTRPCContext({ db: getDb(), session: await getSession(), headers: req.headers }),
  });

export { handler as GET, handler as POST };
