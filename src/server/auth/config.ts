// next-auth v4: email + password against users.password_hash, JWT sessions (no adapter needed).
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { webEnv } from "@/env";
import { getDb } from "@/server/db";
import { verifyPassword } from "@/server/password";
import { sameOriginRedirect } from "./callback-url";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name?: string | null };
  }
}

const ZCredentials = z.object({ email: z.string().trim().toLowerCase().email().max(320), password: z.string().min(1).max(1024) });

async function authorizeCredentials(raw: unknown) {
  const parsed = ZCredentials.safeParse(raw);
  if (!parsed.success) return null;
  const user = await getDb().user.findUnique({
    where: { email: parsed.data.email },
    select: { id: true, email: true, name: true, passwordHash: true },
  });
  // Unknown user and wrong password look the same to the caller.
  if (!user?.passwordHash) return null;
  if (!(await verifyPassword(parsed.data.password, user.passwordHash))) return null;
  return { id: user.id, email: user.email, name: user.name };
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
      authorize: (credentials) => authorizeCredentials(credentials),
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
