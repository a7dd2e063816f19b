import { ReviewView } from "./review-view";

export const metadata = { title: "Heal review · PACTS" };

export default function ReviewPage() {
  return <ReviewView />;
}
