import { MetricsView } from "./metrics-view";

export const metadata = { title: "Metrics · PACTS" };

export default function MetricsPage() {
  return <MetricsView />;
}
