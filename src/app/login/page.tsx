import { redirect } from "next/navigation";
import { getSession } from "@/server/auth";
import { safeCallbackPath } from "@/server/auth/callback-url";
import { LoginForm } from "./login-form";

export const dynamic = "force-dynamic";

export const metadata = { title: "Sign in · PACTS" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const { callbackUrl } = await searchParams;
  // Only same-site paths: never bounce a user to another origin after login (server/auth/callback-url.ts).
  const target = safeCallbackPath(callbackUrl);
  if (await getSession()) redirect(target);
  return (
    <main className="centered">
      <div className="card narrow">
        <p className="brand">PACTS</p>
        <h1>Sign in</h1>
        <LoginForm callbackUrl={target} />
      </div>
    </main>
  );
}
