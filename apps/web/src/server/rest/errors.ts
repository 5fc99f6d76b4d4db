// The REST API's one error format: `{"error":{"code","message","fieldErrors"?}}` with the AppError's HTTP status.
import { APP_ERROR_CODES, type AppErrorCode, isAppError } from "@sluice/core/errors";
import type { Logger } from "pino";

export interface RestErrorBody {
  error: { code: AppErrorCode; message: string; fieldErrors?: Record<string, string[]> };
}

export function errorResponse(code: AppErrorCode, message: string, fieldErrors?: Record<string, string[]>): Response {
  const body: RestErrorBody = { error: { code, message, ...(fieldErrors ? { fieldErrors } : {}) } };
  return Response.json(body, { status: APP_ERROR_CODES[code], headers: { "cache-control": "no-store" } });
}

/** AppErrors become their own status and message; anything else is logged and answered with a bare 500. */
export function toErrorResponse(error: unknown, log: Logger, where: string): Response {
  if (isAppError(error)) return errorResponse(error.code, error.message, error.fieldErrors);
  log.error({ err: error, where }, "REST handler failed");
  return errorResponse("INTERNAL", "Something went wrong on our side. Try again; if it keeps failing, check the server logs.");
}
