import Link from "next/link";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { getSession } from "@/server/auth";
import { SignOutButton } from "@/app/_components/sign-out-button";
import { TeamStrip } from "@/app/_components/team-strip";
import { TeamSwitcher } from "@/app/_components/team-switcher";
import { WorkerBanner } from "@/app/_components/worker-banner";

export const dynamic = "force-dynamic";

// Pages only: API routes answer 401/404 themselves and never redirect to /login.
export default async function AppLayout({ children }: { children: ReactNode }) {
  const session = await getSession();
  if (!session) redirect("/login");
  return (
    <>
      <header className="topbar">
        <Link href="/tests" className="brand">
          PACTS
        </Link>
        <nav aria-label="Main">
          <Link href="/tests">Tests</Link>
          <Link href="/runs">Runs</Link>
          <Link href="/review">Review</Link>
          <Link href="/metrics">Metrics</Link>
          <Link href="/settings/tokens">API tokens</Link>
          <Link href="/settings/alerts">Alerts</Link>
          <Link href="/settings/retention">Retention</Link>
          <Link href="/settings/team">Team</Link>
        </nav>
        <div className="topbar-user">
          <TeamSwitcher />
          <span className="muted">{session.user.email}</span>
          <SignOutButton />
        </div>
      </header>
      <TeamStrip />
      <WorkerBanner />
      <main className="page">{children}</main>
    </>
  );
}
