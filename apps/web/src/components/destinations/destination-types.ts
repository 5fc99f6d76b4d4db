import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";

/** One catalogue entry, as the destination router's `catalog` returns it. */
export type DestinationType = inferRouterOutputs<AppRouter>["destination"]["catalog"][number];
