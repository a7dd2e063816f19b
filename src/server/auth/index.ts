// Session lookup for server components and route handlers, deduplicated per request.
import { getServerSession, type Session } from "next-auth";
import { cache } from "react";
import { authOptions } from "./config";

export const getSession = cache(async (): Promise<Session | null> => {
  const session = await getServerSession(authOptions);
  return session?.user?.id ? session : null;
});

export { authOptions };
