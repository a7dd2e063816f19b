export function StatusBadge({ status, role }: { status: string; role?: "status" }) {
  return (
    <span className={`badge badge-${status.toLowerCase()}`} role={role}>
      {status}
    </span>
  );
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms == null) return "—";
  if (ms < 1000) return `${ms} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

export function formatDate(d: Date | string): string {
  const date = typeof d === "string" ? new Date(d) : d;
  return date.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "medium" });
}
