import { redirect } from "next/navigation";
import { getSession } from "@/server/auth";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  redirect((await getSession()) ? "/tests" : "/login");
}
