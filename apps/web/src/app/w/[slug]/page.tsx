import { Overview } from "@/components/workspace/overview";

export default function OverviewPage() {
  return <Overview />;
}
