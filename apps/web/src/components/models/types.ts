import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";

export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type ModelPreview = RouterOutputs["model"]["preview"];
export type KeyCheck = RouterOutputs["model"]["checkPrimaryKey"];
export type ModelView = RouterOutputs["model"]["get"];
