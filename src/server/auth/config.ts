// next-auth v4: email + password against users.password_hash, JWT sessions (no adapter needed).
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { webEnv } from "@/env";
import { getDb } from "@/server/db";
import { sameOriginRedirect } from "./callback-url";
import { checkCredentials } from "./credentials";
import { clientIp, LoginLimiter } from "./login-limiter";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name?: string | null };
  }
}

let limiter: LoginLimiter | undefined;
/** The process's login limiter (its state is in Postgres, shared by every web instance). */
export function loginLimiter(): LoginLimiter {
  return (limiter ??= new LoginLimiter(getDb()));
}

async function authorizeCredentials(raw: unknown, headers: Record<string, string | string[] | undefined> | undefined) {
  const result = await checkCredentials(getDb(), loginLimiter(), raw, clientIp(headers ?? {}));
  // Unknown user, wrong password and a lockout look the same here; the route answers a lockout with 429 first.
  return result.status === "ok" ? result.user : null;
}

export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt" },
  pages: { signIn: "/login" },
  // A getter so the secret is read at request time, not while `next build` imports this module.
  get secret() {
    return webEnv().nextAuthSecret;
  },
  providers: [
    CredentialsProvider({
      name: "Email",
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
      },
      authorize: (credentials, req) => authorizeCredentials(credentials, req?.headers),
    }),
  ],
  callbacks: {
    redirect: ({ url, baseUrl }) => sameOriginRedirect(url, baseUrl),
    jwt({ token, user }) {
      if (user) token.sub = user.id;
      return token;
    },
    session({ session, token }) {
      return {
        ...session,
        user: { id: token.sub ?? "", email: token.email ?? "", name: token.name ?? null },
      };
    },
  },
};
