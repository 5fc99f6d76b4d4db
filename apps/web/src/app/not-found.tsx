import Link from "next/link";
import { Wordmark } from "@/components/ui/logo";

export default function NotFound() {
  return (
    <div className="flex min-h-screen flex-col items-center justify-center gap-6 px-6 text-center">
      <Wordmark />
      <div>
        <p className="text-sm font-semibold text-brand-600">404</p>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight text-zinc-900">Nothing here</h1>
        <p className="mt-2 text-sm text-zinc-500">This page doesn't exist, or you don't have access to it.</p>
      </div>
      <Link href="/" className="text-sm font-medium text-brand-700 hover:text-brand-800">
        Go to your workspace →
      </Link>
    </div>
  );
}
