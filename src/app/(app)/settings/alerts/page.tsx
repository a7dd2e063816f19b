import { AlertsView } from "./alerts-view";

export const metadata = { title: "Alerts · PACTS" };

export default function AlertsPage() {
  return <AlertsView />;
}
