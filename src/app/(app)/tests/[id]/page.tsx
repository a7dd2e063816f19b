import { notFound } from "next/navigation";
import { findOrNull, getServerCaller } from "@/trpc/server";
import { TestDetail } from "./test-detail";

export default async function TestPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const caller = await getServerCaller();
  // Checked on the server so another team's test is a real 404, not an empty client page.
  const test = await findOrNull(caller.test.byId({ id }));
  if (!test) notFound();
  return <TestDetail id={id} />;
}
