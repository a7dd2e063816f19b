import { getSession } from "@/server/auth";
import { getDb } from "@/server/db";
import { AppError } from "@/server/errors";
import { inspectInvitation, type InvitationView } from "@/server/teams/invitations";
import { AcceptInvitation } from "./accept-invitation";

export const dynamic = "force-dynamic";

export const metadata = { title: "Invitation · PACTS" };

// The invitation link an admin shares (src/server/teams/invitations.ts): shows the team and role, then accepts as
// the signed-in user, or as a new user choosing a password.
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  let view: InvitationView | null = null;
  let problem: string | null = null;
  try {
    view = await inspectInvitation(getDb(), token);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    problem = err.message;
  }
  const session = await getSession();
  return (
    <main className="centered">
      <div className="card narrow stack">
        <p className="brand">PACTS</p>
        {problem || !view ? (
          <p role="alert">{problem}</p>
        ) : (
          <>
            <h1>Join {view.teamName}</h1>
            <p>
              {view.email} is invited as <strong>{view.role.toLowerCase()}</strong>.
            </p>
            <AcceptInvitation token={token} email={view.email} hasAccount={view.hasAccount} signedInAs={session?.user.email ?? null} />
          </>
        )}
      </div>
    </main>
  );
}
