import { TokensView } from "./tokens-view";

export const metadata = { title: "API tokens · PACTS" };

export default function TokensPage() {
  return <TokensView />;
}
