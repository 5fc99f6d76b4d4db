// Shared wrapper for /api/v1 routes: authenticates the workspace API key (`Authorization: Bearer slk_…`),
// parses route params, runs the handler and turns every failure into the one error format.
import "server-only";
import { resolveWorkspaceForApiKey } from "@sluice/core";
import type { WorkspaceContext } from "@sluice/core/context";
import type { z } from "zod";
import { services } from "../services";
import { errorResponse, toErrorResponse } from "./errors";

export interface RestContext<P> {
  req: Request;
  params: P;
  workspace: WorkspaceContext;
}

/** Next passes `{ params }` to dynamic routes only; static routes get no params at all. */
type RouteArgs = { params?: Promise<Record<string, string | string[]>> } | undefined;

const BEARER = /^Bearer\s+(\S+)$/i;

export function bearerToken(req: Request): string | undefined {
  return BEARER.exec(req.headers.get("authorization") ?? "")?.[1];
}

/** A JSON success response: `{ data }`. */
export function ok(data: unknown, status = 200): Response {
  return Response.json({ data }, { status, headers: { "cache-control": "no-store" } });
}

export function apiRoute<S extends z.ZodType>(
  paramsSchema: S,
  handler: (ctx: RestContext<z.infer<S>>) => Promise<Response>,
): (req: Request, args: RouteArgs) => Promise<Response> {
  return async (req, args) => {
    const s = services();
    try {
      const token = bearerToken(req);
      if (!token)
        return errorResponse(
          "UNAUTHORIZED",
          "Missing API key: send `Authorization: Bearer slk_…` (create a key under Settings → API keys).",
        );
      const workspace = await resolveWorkspaceForApiKey(s, token);
      const parsed = paramsSchema.safeParse((await args?.params) ?? {});
      if (!parsed.success) return errorResponse("NOT_FOUND", "Not found.");
      return await handler({ req, params: parsed.data, workspace });
    } catch (error) {
      return toErrorResponse(error, s.log, `${req.method} ${new URL(req.url).pathname}`);
    }
  };
}
