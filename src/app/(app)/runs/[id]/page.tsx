import { notFound } from "next/navigation";
import { findOrNull, getServerCaller } from "@/trpc/server";
import { RunDetail } from "./run-detail";

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const caller = await getServerCaller();
  // Another team's run is indistinguishable from a missing one.
  const run = await findOrNull(caller.run.byId({ id }));
  if (!run) notFound();
  return <RunDetail id={id} />;
}
