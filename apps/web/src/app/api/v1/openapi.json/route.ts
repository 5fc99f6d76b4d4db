// The API's OpenAPI 3.1 document. Public, like any API reference: it holds no workspace data.
import { env } from "@/env";
import { toErrorResponse } from "@/server/rest/errors";
import { buildOpenApiDocument } from "@/server/rest/openapi";
import { services } from "@/server/services";

export const dynamic = "force-dynamic";

let cached: Record<string, unknown> | undefined;

export async function GET(req: Request): Promise<Response> {
  try {
    cached ??= buildOpenApiDocument({ serverUrl: env.SLUICE_PUBLIC_URL });
    return Response.json(cached, { headers: { "cache-control": "public, max-age=300" } });
  } catch (error) {
    return toErrorResponse(error, services().log, `GET ${new URL(req.url).pathname}`);
  }
}
