// The REST API's inputs and response bodies as zod schemas. Route handlers validate and serialize through
// these, and openapi.ts generates the OpenAPI document from the very same instances, so the document cannot
// drift from what the routes accept and return. Inputs reuse the contracts the tRPC API validates with.
import { RunViewSchema } from "@sluice/contracts/run-view";
import { CreateSyncInput, UpdateSyncInput } from "@sluice/contracts/sync-config";
import { ConnectionViewSchema, SyncViewSchema, WorkspaceSummarySchema } from "@sluice/contracts/views";
import { APP_ERROR_CODES, type AppErrorCode } from "@sluice/core/errors";
import { z } from "zod";

// ---- path and query ----

/** A sync is addressed by its id or by its (URL-encoded) name, as the CLI and YAML name syncs. */
export const SyncRefSchema = z.string().min(1).max(200).meta({ description: "The sync's id or its name (URL-encoded)." });
export const SyncParams = z.object({ id: SyncRefSchema });

export const RunIdSchema = z.string().min(1).max(64).meta({ description: "The run's id." });
export const RunParams = z.object({ id: RunIdSchema });

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** `?limit=&cursor=` on list routes. Unknown query parameters are ignored, as proxies and caches add their own. */
export const PageQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .optional()
    .meta({ description: `Items per page, 1–${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).` }),
  cursor: z
    .string()
    .min(1)
    .max(500)
    .optional()
    .meta({ description: "The `nextCursor` of the previous page; omit it for the first page." }),
});
export type PageQuery = z.infer<typeof PageQuery>;

// ---- request bodies (strict: a misspelt field is an error, not silently ignored) ----

export const CreateSyncBody = z.strictObject(CreateSyncInput.shape);
export const UpdateSyncBody = z.strictObject(UpdateSyncInput.omit({ id: true }).shape);
export const TriggerRunBody = z.strictObject({
  fullResync: z
    .boolean()
    .optional()
    .meta({ description: "Rebuild from scratch: every row is sent again, not only what changed since the last run." }),
});

// ---- response bodies: `{ data }`, lists add `nextCursor` ----

const page = <S extends z.ZodType>(item: S) =>
  z.object({
    data: z.array(item),
    nextCursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next page; null on the last page." }),
  });

export const SyncResponse = z.object({ data: SyncViewSchema });
export const SyncPage = page(SyncViewSchema);
export const RunResponse = z.object({ data: RunViewSchema });
export const RunPage = page(RunViewSchema);
export const TriggerRunResponse = z.object({
  data: RunViewSchema,
  created: z.boolean().meta({ description: "false when the sync already had a run under way: that run is returned." }),
});
export const DeletedResponse = z.object({ data: z.object({ id: z.string(), deleted: z.literal(true) }) });
export const ConnectionResponse = z.object({ data: ConnectionViewSchema });
export const ConnectionList = z.object({ data: z.array(ConnectionViewSchema) });
export const WorkspaceResponse = z.object({ data: WorkspaceSummarySchema });

const ERROR_CODES = Object.keys(APP_ERROR_CODES) as [AppErrorCode, ...AppErrorCode[]];

/** Every failure, on every route (errors.ts writes it). */
export const ErrorBody = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string().meta({ description: "What went wrong and what to do about it." }),
    fieldErrors: z.record(z.string(), z.array(z.string())).optional().meta({
      description: 'Validation failures by field path, e.g. { "mappings.0.to": ["…"] }; "_form" for the body as a whole.',
    }),
  }),
});
