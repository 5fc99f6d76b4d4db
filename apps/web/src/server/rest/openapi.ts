// The OpenAPI 3.1 document of /api/v1, generated with z.toJSONSchema from the zod schemas the routes validate
// and serialize with (schemas.ts, packages/contracts): no schema is written out by hand here. Adding a route
// means adding its entry to OPERATIONS; openapi.test.ts fails for any route file the document does not list.
import { ColumnMappingSchema, ConstantMappingSchema, MappingSchema } from "@sluice/contracts/mapping";
import { PERMISSIONS, type Permission } from "@sluice/contracts/roles";
import { RunCountsSchema, RunTransitionSchema, RunViewSchema } from "@sluice/contracts/run-view";
import { ConnectionViewSchema, SyncViewSchema, WorkspaceSummarySchema } from "@sluice/contracts/views";
import type { AppErrorCode } from "@sluice/core/errors";
import { z } from "zod";
import * as S from "./schemas";

type Method = "get" | "post" | "patch" | "delete";
type JsonObject = Record<string, unknown>;

interface Operation {
  method: Method;
  path: string;
  operationId: string;
  tag: "Syncs" | "Runs" | "Sources" | "Destinations" | "Workspace" | "Meta";
  summary: string;
  description?: string;
  /** What the key's role must allow; undefined for the one public route. */
  permission?: Permission;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: { schema: z.ZodType; required: boolean };
  success: { status: 200 | 201 | 202; description: string; schema?: z.ZodType };
  /** Failures beyond those implied by the rest (401/403 from permission, 404 from params, 400 from body/query, 500). */
  errors?: AppErrorCode[];
}

const IdParams = z.object({ id: z.string().min(1).max(64).meta({ description: "The resource's id." }) });

export const OPERATIONS: Operation[] = [
  {
    method: "get",
    path: "/api/v1/workspace",
    operationId: "getWorkspace",
    tag: "Workspace",
    summary: "The API key's workspace, with the key's role and counts",
    permission: "workspace.read",
    success: { status: 200, description: "The workspace.", schema: S.WorkspaceResponse },
  },
  {
    method: "get",
    path: "/api/v1/sources",
    operationId: "listSources",
    tag: "Sources",
    summary: "List the workspace's sources (warehouses); secrets are masked",
    permission: "source.read",
    success: { status: 200, description: "Every source.", schema: S.ConnectionList },
  },
  {
    method: "get",
    path: "/api/v1/sources/{id}",
    operationId: "getSource",
    tag: "Sources",
    summary: "Get a source; secrets are masked",
    permission: "source.read",
    params: IdParams,
    success: { status: 200, description: "The source.", schema: S.ConnectionResponse },
  },
  {
    method: "delete",
    path: "/api/v1/sources/{id}",
    operationId: "deleteSource",
    tag: "Sources",
    summary: "Delete a source",
    permission: "source.write",
    params: IdParams,
    success: { status: 200, description: "Deleted.", schema: S.DeletedResponse },
    errors: ["CONFLICT"],
  },
  {
    method: "get",
    path: "/api/v1/destinations",
    operationId: "listDestinations",
    tag: "Destinations",
    summary: "List the workspace's destinations; secrets are masked",
    permission: "destination.read",
    success: { status: 200, description: "Every destination.", schema: S.ConnectionList },
  },
  {
    method: "get",
    path: "/api/v1/destinations/{id}",
    operationId: "getDestination",
    tag: "Destinations",
    summary: "Get a destination; secrets are masked",
    permission: "destination.read",
    params: IdParams,
    success: { status: 200, description: "The destination.", schema: S.ConnectionResponse },
  },
  {
    method: "get",
    path: "/api/v1/syncs",
    operationId: "listSyncs",
    tag: "Syncs",
    summary: "List syncs, a page at a time, ordered by name",
    permission: "sync.read",
    query: S.PageQuery,
    success: { status: 200, description: "A page of syncs.", schema: S.SyncPage },
  },
  {
    method: "post",
    path: "/api/v1/syncs",
    operationId: "createSync",
    tag: "Syncs",
    summary: "Create a sync: a model sent to a destination with a mode, mappings and a schedule",
    permission: "sync.write",
    body: { schema: S.CreateSyncBody, required: true },
    success: { status: 201, description: "Created; `Location` names the new sync.", schema: S.SyncResponse },
    errors: ["CONFLICT"],
  },
  {
    method: "get",
    path: "/api/v1/syncs/{id}",
    operationId: "getSync",
    tag: "Syncs",
    summary: "Get a sync by id or name",
    permission: "sync.read",
    params: S.SyncParams,
    success: { status: 200, description: "The sync.", schema: S.SyncResponse },
  },
  {
    method: "patch",
    path: "/api/v1/syncs/{id}",
    operationId: "updateSync",
    tag: "Syncs",
    summary: "Change some of a sync's settings",
    description:
      "Only the fields sent change. New mappings make the next run a full resync; a new schedule, or enabling or disabling the sync, moves its next scheduled run. A run already under way keeps the plan it started with.",
    permission: "sync.write",
    params: S.SyncParams,
    body: { schema: S.UpdateSyncBody, required: true },
    success: { status: 200, description: "The sync as changed.", schema: S.SyncResponse },
    errors: ["CONFLICT"],
  },
  {
    method: "delete",
    path: "/api/v1/syncs/{id}",
    operationId: "deleteSync",
    tag: "Syncs",
    summary: "Delete a sync with its runs",
    description: "A sync with a run under way cannot be deleted (409): cancel the run first.",
    permission: "sync.write",
    params: S.SyncParams,
    success: { status: 200, description: "Deleted.", schema: S.DeletedResponse },
    errors: ["CONFLICT"],
  },
  {
    method: "get",
    path: "/api/v1/syncs/{id}/runs",
    operationId: "listSyncRuns",
    tag: "Runs",
    summary: "List a sync's runs, newest first, a page at a time",
    permission: "sync.read",
    params: S.SyncParams,
    query: S.PageQuery,
    success: { status: 200, description: "A page of runs.", schema: S.RunPage },
  },
  {
    method: "post",
    path: "/api/v1/syncs/{id}/runs",
    operationId: "triggerSyncRun",
    tag: "Runs",
    summary: "Start a run of a sync",
    description:
      "The run is queued for a worker (202); `Location` names it. Runs of one sync never overlap: while a run is under way, triggering again returns that run with `created: false` (and a `fullResync` request still applies to it if it has not been planned yet).",
    permission: "sync.run",
    params: S.SyncParams,
    body: { schema: S.TriggerRunBody, required: false },
    success: { status: 202, description: "The queued run, or the run already under way.", schema: S.TriggerRunResponse },
    errors: ["CONFLICT"],
  },
  {
    method: "get",
    path: "/api/v1/runs/{id}",
    operationId: "getRun",
    tag: "Runs",
    summary: "Get a run: status, counts, timings and timeline",
    permission: "sync.read",
    params: S.RunParams,
    success: { status: 200, description: "The run.", schema: S.RunResponse },
  },
  {
    method: "post",
    path: "/api/v1/runs/{id}/pause",
    operationId: "pauseRun",
    tag: "Runs",
    summary: "Pause a run",
    description:
      "A queued run pauses at once; a running one finishes its in-flight batch, checkpoints and stops. Pausing a paused run changes nothing. A finished or committing run cannot be paused (409).",
    permission: "sync.run",
    params: S.RunParams,
    success: { status: 200, description: "The run as it is now.", schema: S.RunResponse },
    errors: ["CONFLICT"],
  },
  {
    method: "post",
    path: "/api/v1/runs/{id}/resume",
    operationId: "resumeRun",
    tag: "Runs",
    summary: "Resume a paused run from its checkpoint",
    description: "A pause that was requested but not reached yet is withdrawn. A finished run cannot be resumed (409).",
    permission: "sync.run",
    params: S.RunParams,
    success: { status: 200, description: "The run as it is now.", schema: S.RunResponse },
    errors: ["CONFLICT"],
  },
  {
    method: "post",
    path: "/api/v1/runs/{id}/cancel",
    operationId: "cancelRun",
    tag: "Runs",
    summary: "Cancel a run without committing it",
    description:
      "A queued or paused run is cancelled at once; a running one stops at its next checkpoint. Nothing it delivered is committed, so the next run sends it again. A succeeded, failed or committing run cannot be cancelled (409).",
    permission: "sync.run",
    params: S.RunParams,
    success: { status: 200, description: "The run as it is now.", schema: S.RunResponse },
    errors: ["CONFLICT"],
  },
  {
    method: "get",
    path: "/api/v1/openapi.json",
    operationId: "getOpenApiDocument",
    tag: "Meta",
    summary: "This document (no API key needed)",
    success: { status: 200, description: "The OpenAPI 3.1 document." },
  },
];

// ---- components ----

/** Schemas named in the document, in the form requests send them (transforms and defaults not yet applied). */
const REQUEST_SCHEMAS: Record<string, z.ZodType> = {
  CreateSyncBody: S.CreateSyncBody,
  UpdateSyncBody: S.UpdateSyncBody,
  TriggerRunBody: S.TriggerRunBody,
  ColumnMapping: ColumnMappingSchema,
  ConstantMapping: ConstantMappingSchema,
  // Recursive (JSON values nest), so it has to be a named schema the document can refer to.
  JsonValue: ConstantMappingSchema.shape.constant,
};

/** Schemas named in the document, in the form responses carry them. */
const RESPONSE_SCHEMAS: Record<string, z.ZodType> = {
  SyncView: SyncViewSchema,
  RunView: RunViewSchema,
  RunCounts: RunCountsSchema,
  RunTransition: RunTransitionSchema,
  ConnectionView: ConnectionViewSchema,
  WorkspaceSummary: WorkspaceSummarySchema,
  SyncResponse: S.SyncResponse,
  SyncPage: S.SyncPage,
  RunResponse: S.RunResponse,
  RunPage: S.RunPage,
  TriggerRunResponse: S.TriggerRunResponse,
  DeletedResponse: S.DeletedResponse,
  ConnectionResponse: S.ConnectionResponse,
  ConnectionList: S.ConnectionList,
  WorkspaceResponse: S.WorkspaceResponse,
  ErrorBody: S.ErrorBody,
  ColumnMapping: ColumnMappingSchema,
  ConstantMapping: ConstantMappingSchema,
  JsonValue: ConstantMappingSchema.shape.constant,
};

const ERROR_RESPONSES: Record<AppErrorCode, { status: number; name: string; description: string }> = {
  BAD_REQUEST: { status: 400, name: "BadRequest", description: "Invalid input; `fieldErrors` names each field at fault." },
  UNAUTHORIZED: { status: 401, name: "Unauthorized", description: "Missing, unknown or revoked API key." },
  FORBIDDEN: { status: 403, name: "Forbidden", description: "The API key's role does not allow this." },
  NOT_FOUND: { status: 404, name: "NotFound", description: "No such resource in the API key's workspace." },
  CONFLICT: { status: 409, name: "Conflict", description: "The change conflicts with the current state (e.g. a name taken)." },
  PRECONDITION_FAILED: { status: 412, name: "PreconditionFailed", description: "A precondition does not hold." },
  TOO_MANY_REQUESTS: { status: 429, name: "TooManyRequests", description: "Too many requests; retry later." },
  INTERNAL: { status: 500, name: "InternalError", description: "Something failed on the server; details are in its logs." },
};

const schemaRef = (name: string) => `#/components/schemas/${name}`;

/** One generator pass over a set of named schemas; every schema they share or nest is a $ref to its name. */
function generate(named: Record<string, z.ZodType>, io: "input" | "output"): Record<string, JsonObject> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(named)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    io,
    uri: schemaRef,
    override: ({ zodSchema, jsonSchema }) => {
      // A mapping is parsed from `unknown` (so errors can name the field at fault): describe what it accepts.
      if (zodSchema === (MappingSchema as unknown)) {
        jsonSchema.oneOf = [{ $ref: schemaRef("ColumnMapping") }, { $ref: schemaRef("ConstantMapping") }];
      }
      // `format: date-time` says what zod's long ISO-8601 pattern checks, and reads better.
      if (jsonSchema.format === "date-time") delete jsonSchema.pattern;
      // Responses may gain fields within v1, so they do not forbid extra properties (clients ignore unknown
      // ones); only objects that are strict in zod itself (e.g. a mapping) stay closed.
      const def = zodSchema._zod.def as { type: string; catchall?: unknown };
      if (io === "output" && def.type === "object" && def.catchall === undefined) delete jsonSchema.additionalProperties;
    },
  });
  if ("__shared" in schemas) throw new Error("openapi: a recursive or shared schema has no name; add it to the named schemas");
  const out: Record<string, JsonObject> = {};
  for (const [id, json] of Object.entries(schemas)) {
    const { $schema: _s, $id: _i, ...rest } = json as JsonObject;
    out[id] = rest;
  }
  return out;
}

function componentSchemas(): Record<string, JsonObject> {
  const requests = generate(REQUEST_SCHEMAS, "input");
  const responses = generate(RESPONSE_SCHEMAS, "output");
  for (const id of Object.keys(requests)) {
    if (id in responses && JSON.stringify(requests[id]) !== JSON.stringify(responses[id])) {
      throw new Error(`openapi: schema ${id} differs between requests and responses; give each form its own name`);
    }
  }
  return { ...requests, ...responses };
}

function nameOf(schema: z.ZodType, named: Record<string, z.ZodType>): string {
  const found = Object.entries(named).find(([, s]) => s === schema)?.[0];
  if (!found) throw new Error("openapi: an operation uses a schema that has no name in REQUEST_SCHEMAS/RESPONSE_SCHEMAS");
  return found;
}

/** Path or query parameters from a zod object, each property's description lifted onto the parameter. */
function parameters(schema: z.ZodObject | undefined, where: "path" | "query"): JsonObject[] {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { io: "input" }) as { properties?: Record<string, JsonObject>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, { description, ...propertySchema }]) => ({
    name,
    in: where,
    required: where === "path" || (json.required ?? []).includes(name),
    ...(description ? { description } : {}),
    schema: propertySchema,
  }));
}

function errorCodesOf(op: Operation): AppErrorCode[] {
  const codes = new Set<AppErrorCode>();
  if (op.body || op.query) codes.add("BAD_REQUEST");
  if (op.permission) {
    codes.add("UNAUTHORIZED");
    if (PERMISSIONS[op.permission] !== "viewer") codes.add("FORBIDDEN");
  }
  if (op.params) codes.add("NOT_FOUND");
  for (const code of op.errors ?? []) codes.add(code);
  codes.add("INTERNAL");
  return [...codes].sort((a, b) => ERROR_RESPONSES[a].status - ERROR_RESPONSES[b].status);
}

function operationObject(op: Operation): JsonObject {
  const role = op.permission ? PERMISSIONS[op.permission] : undefined;
  const access = role ? `Requires an API key with the **${role}** role or higher.` : "Public: no API key needed.";
  const responses: JsonObject = {
    [op.success.status]: {
      description: op.success.description,
      content: {
        "application/json": {
          schema: op.success.schema ? { $ref: schemaRef(nameOf(op.success.schema, RESPONSE_SCHEMAS)) } : { type: "object" },
        },
      },
    },
  };
  for (const code of errorCodesOf(op)) {
    const { status, name } = ERROR_RESPONSES[code];
    responses[status] = { $ref: `#/components/responses/${name}` };
  }
  return {
    operationId: op.operationId,
    tags: [op.tag],
    summary: op.summary,
    description: [op.description, access].filter(Boolean).join("\n\n"),
    ...(op.permission ? { "x-sluice-permission": op.permission } : { security: [] }),
    parameters: [...parameters(op.params, "path"), ...parameters(op.query, "query")],
    ...(op.body
      ? {
          requestBody: {
            required: op.body.required,
            content: { "application/json": { schema: { $ref: schemaRef(nameOf(op.body.schema, REQUEST_SCHEMAS)) } } },
          },
        }
      : {}),
    responses,
  };
}

export function buildOpenApiDocument(o: { serverUrl: string }): JsonObject {
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const op of OPERATIONS) {
    paths[op.path] = { ...paths[op.path], [op.method]: operationObject(op) };
  }
  const responses = Object.fromEntries(
    Object.values(ERROR_RESPONSES).map(({ name, description }) => [
      name,
      { description, content: { "application/json": { schema: { $ref: schemaRef("ErrorBody") } } } },
    ]),
  );
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://spec.openapis.org/oas/3.1/dialect/base",
    info: {
      title: "Sluice REST API",
      version: "1",
      description:
        "Manage syncs and their runs, and read sources, destinations and the workspace, with a workspace API key. Every answer is JSON: `{ data }` on success, `{ error: { code, message, fieldErrors? } }` on failure.",
    },
    servers: [{ url: o.serverUrl }],
    security: [{ bearerAuth: [] }],
    tags: [
      { name: "Syncs" },
      { name: "Runs" },
      { name: "Sources" },
      { name: "Destinations" },
      { name: "Workspace" },
      { name: "Meta" },
    ],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          description: "A workspace API key (`slk_…`), created under Settings → API keys, sent as `Authorization: Bearer slk_…`.",
        },
      },
      schemas: componentSchemas(),
      responses,
    },
  };
}
