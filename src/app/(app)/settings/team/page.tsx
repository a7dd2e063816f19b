import { TeamView } from "./team-view";

export const metadata = { title: "Team · PACTS" };

export default function TeamPage() {
  return <TeamView />;
}
