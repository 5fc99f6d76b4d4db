// Reads the message and per-field errors our tRPC errorFormatter puts in every error's shape.
import { TRPCClientError } from "@trpc/client";
import type { FieldErrors } from "./field-errors";

export interface FormError {
  message: string;
  fieldErrors: FieldErrors;
}

export function toFormError(error: unknown): FormError | null {
  if (!error) return null;
  if (error instanceof TRPCClientError) {
    const data = error.data as { fieldErrors?: FieldErrors | null } | undefined;
    return { message: error.message, fieldErrors: data?.fieldErrors ?? {} };
  }
  return { message: error instanceof Error ? error.message : "Something went wrong.", fieldErrors: {} };
}
