import Link from "next/link";
import type { RouterOutputs } from "@/trpc/react";
import { StatusBadge, formatDate, formatDuration } from "./status-badge";

type RunRow = RouterOutputs["run"]["list"]["items"][number];

export function RunsTable({ runs, showTest = true }: { runs: RunRow[]; showTest?: boolean }) {
  if (runs.length === 0) return <p className="muted">No runs yet.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Status</th>
          {showTest && <th scope="col">Test</th>}
          <th scope="col">Trigger</th>
          <th scope="col">Steps</th>
          <th scope="col">Duration</th>
          <th scope="col">Created</th>
          <th scope="col">
            <span className="sr-only">Details</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {runs.map((r) => (
          <tr key={r.id}>
            <td>
              <StatusBadge status={r.status} />
            </td>
            {showTest && <td>{r.testName}</td>}
            <td className="muted">{r.trigger.toLowerCase()}</td>
            <td>
              {r.completedSteps}/{r.totalSteps}
            </td>
            <td>{formatDuration(r.durationMs)}</td>
            <td className="muted">{formatDate(r.createdAt)}</td>
            <td>
              <Link href={`/runs/${r.id}`} aria-label={`Open run of ${r.testName} created ${formatDate(r.createdAt)}`}>
                Details
              </Link>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
