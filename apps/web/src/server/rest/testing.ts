// Helpers for tests that call /api/v1 route handlers the way Next does: a Request, plus `{ params }` for
// dynamic segments. Test-only; nothing in the app imports this.

import type { WorkspaceContext } from "@sluice/core/context";
import { createDestination } from "@sluice/core/destinations/create-destination";
import { createModel } from "@sluice/core/models/create-model";
import { createSource } from "@sluice/core/sources/create-source";
import { expect } from "vitest";
import type { z } from "zod";
import { ErrorBody } from "./schemas";

const BASE = "http://localhost:3000/api/v1";

/** What Next passes to a route without dynamic segments. */
export const noParams = undefined;
export const withId = (id: string) => ({ params: Promise.resolve({ id }) });

export function apiRequest(path: string, o: { key?: string; method?: string; body?: unknown; rawBody?: string } = {}): Request {
  const headers: Record<string, string> = {};
  if (o.key) headers.authorization = `Bearer ${o.key}`;
  const body = o.rawBody ?? (o.body === undefined ? undefined : JSON.stringify(o.body));
  if (body !== undefined) headers["content-type"] = "application/json";
  return new Request(`${BASE}${path}`, { method: o.method ?? "GET", headers, body });
}

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies loosely and assert on them.
export async function read(res: Response): Promise<{ status: number; body: any; headers: Headers }> {
  return { status: res.status, body: await res.json(), headers: res.headers };
}

/** The body is exactly what the schema (and so the OpenAPI document) describes: valid, with nothing undeclared. */
export function expectDocumented(schema: z.ZodType, body: unknown): void {
  expect(schema.parse(body)).toEqual(body);
}

/** An error answer in the one format, with this status and code. */
export async function expectError(res: Response, status: number, code: string) {
  const { body } = await read(res);
  expect({ status: res.status, code: body?.error?.code }).toEqual({ status, code });
  expectDocumented(ErrorBody, body);
  return body.error as { code: string; message: string; fieldErrors?: Record<string, string[]> };
}

/** A model and a destination to point syncs at (no warehouse is contacted to create them). */
export async function syncRefs(ctx: WorkspaceContext): Promise<{ modelId: string; destinationId: string }> {
  const source = await createSource(ctx, { name: "W", type: "postgres", config: { connectionString: "postgresql://u:p@h/db" } });
  const model = await createModel(ctx, { name: "Customers", sourceId: source.id, query: "select 1 as id", primaryKey: ["id"] });
  const destination = await createDestination(ctx, { name: "Hook", type: "webhook", config: { url: "https://example.com/h" } });
  return { modelId: model.id, destinationId: destination.id };
}
