// tRPC setup: context (services + session), error mapping (AppError → TRPCError with fieldErrors in the shape),
// and the procedure builders every router uses.
import "server-only";
import { resolveWorkspaceForUser } from "@sluice/core";
import type { Services, WorkspaceContext } from "@sluice/core/context";
import { isAppError } from "@sluice/core/errors";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z } from "zod";
import { type FieldErrors, fieldErrorsFromIssues, hasIssues } from "@/lib/field-errors";

export interface SessionUser {
  id: string;
  name: string;
  email: string;
}

export interface TRPCContext {
  services: Services;
  user: SessionUser | null;
}

const t = initTRPC.context<TRPCContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    let fieldErrors: FieldErrors | undefined;
    if (isAppError(cause)) fieldErrors = cause.fieldErrors;
    else if (hasIssues(cause)) fieldErrors = fieldErrorsFromIssues(cause.issues);
    // Stack traces stay in the server log, never in a response.
    const { stack: _stack, ...data } = shape.data;
    return { ...shape, data: { ...data, fieldErrors: fieldErrors ?? null } };
  },
});

/** Maps domain errors to tRPC errors with the same code; anything unexpected is logged and hidden. */
const errorMapper = t.middleware(async ({ ctx, next, path }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (isAppError(cause)) {
      const code = cause.code === "INTERNAL" ? "INTERNAL_SERVER_ERROR" : cause.code;
      throw new TRPCError({ code, message: cause.message, cause });
    }
    if (result.error.code === "INTERNAL_SERVER_ERROR") {
      ctx.services.log.error({ err: result.error.cause ?? result.error, path }, "tRPC procedure failed");
      throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "Something went wrong on our side. Try again." });
    }
  }
  return result;
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure.use(errorMapper);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
  return next({ ctx: { ...ctx, user: ctx.user } });
});

export const WorkspaceInput = z.object({ workspace: z.string().min(1) });

/** Resolves `{ workspace: slug }` to the caller's membership; non-members get NOT_FOUND (existence is never revealed). */
export const workspaceProcedure = authedProcedure.input(WorkspaceInput).use(async ({ ctx, input, next }) => {
  const workspace: WorkspaceContext = await resolveWorkspaceForUser(ctx.services, { userId: ctx.user.id, slug: input.workspace });
  return next({ ctx: { ...ctx, workspace } });
});
