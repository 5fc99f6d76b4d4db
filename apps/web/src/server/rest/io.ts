// Reading a request's JSON body and query string through a schema, and writing a response through one.
// Validation failures are AppError BAD_REQUEST with field paths, so they reach the client in the one error format.
import { AppError } from "@sluice/core/errors";
import { parseInput } from "@sluice/core/validate-input";
import type { z } from "zod";

/** The request body, parsed as JSON and validated. An empty body counts as `{}` (e.g. a trigger with no options). */
export async function readBody<S extends z.ZodType>(req: Request, schema: S): Promise<z.output<S>> {
  const text = await req.text();
  let value: unknown = {};
  if (text.trim() !== "") {
    try {
      value = JSON.parse(text);
    } catch (error) {
      const why = error instanceof SyntaxError ? error.message : "unreadable";
      throw new AppError(
        "BAD_REQUEST",
        `The request body is not valid JSON (${why}). Send a JSON object with Content-Type: application/json.`,
      );
    }
  }
  return parseInput(schema, value);
}

/** The query string, validated (a repeated parameter keeps its last value). */
export function readQuery<S extends z.ZodType>(req: Request, schema: S): z.output<S> {
  return parseInput(schema, Object.fromEntries(new URL(req.url).searchParams));
}

/**
 * A JSON response serialized through its schema: Dates become ISO strings, and fields the schema does not
 * declare are dropped. A value that does not fit throws, which the route wrapper answers with a logged 500.
 */
export function respond<S extends z.ZodType>(
  schema: S,
  body: unknown,
  init: { status?: number; location?: string } = {},
): Response {
  const wire = schema.parse(JSON.parse(JSON.stringify(body)));
  const headers: Record<string, string> = { "cache-control": "no-store" };
  if (init.location) headers.location = init.location;
  return Response.json(wire, { status: init.status ?? 200, headers });
}
