import { RetentionView } from "./retention-view";

export const metadata = { title: "Retention · PACTS" };

export default function RetentionPage() {
  return <RetentionView />;
}
