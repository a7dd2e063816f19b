import { RunsView } from "./runs-view";

export const metadata = { title: "Runs · PACTS" };

export default function RunsPage() {
  return <RunsView />;
}
