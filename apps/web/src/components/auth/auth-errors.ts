// better-auth's client errors → the same `{ message, fieldErrors }` our forms show.
import type { FormError } from "@/lib/trpc-errors";

interface BetterAuthClientError {
  status?: number;
  code?: string;
  message?: string;
  fieldErrors?: Record<string, string[]>;
}

export function authFormError(error: BetterAuthClientError): FormError {
  if (error.fieldErrors)
    return { message: error.message ?? "Please fix the highlighted fields.", fieldErrors: error.fieldErrors };
  switch (error.code) {
    case "USER_ALREADY_EXISTS":
    case "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL":
      return { message: "", fieldErrors: { email: ["An account with this email already exists. Sign in instead."] } };
    case "INVALID_EMAIL_OR_PASSWORD":
      return { message: "That email and password don't match an account.", fieldErrors: {} };
    case "PASSWORD_TOO_SHORT":
      return { message: "", fieldErrors: { password: ["Use at least 10 characters."] } };
    case "INVALID_EMAIL":
      return { message: "", fieldErrors: { email: ["Enter a valid email address."] } };
  }
  if (error.status === 429) return { message: "Too many attempts. Wait a minute and try again.", fieldErrors: {} };
  return { message: error.message || "Something went wrong. Try again.", fieldErrors: {} };
}
