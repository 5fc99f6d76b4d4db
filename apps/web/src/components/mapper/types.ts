import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";

type RouterOutputs = inferRouterOutputs<AppRouter>;
export type MapperObject = RouterOutputs["mapper"]["object"];
export type MapperObjectField = MapperObject["fields"][number];
export type MappingPreview = RouterOutputs["mapper"]["preview"];
export type TestSendOutput = RouterOutputs["mapper"]["testSend"];
