import { TestsView } from "./tests-view";

export const metadata = { title: "Tests · PACTS" };

export default function TestsPage() {
  return <TestsView />;
}
