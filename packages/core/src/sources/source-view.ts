import type { ConnectionView } from "../connections/connection-view";
import { AppError } from "../errors";

export type SourceView = ConnectionView;

export function sourceNotFound(): AppError {
  return new AppError("NOT_FOUND", "Source not found.");
}

export function sourceNameTaken(name: string): AppError {
  return new AppError("CONFLICT", `A source named "${name}" already exists.`, { name: ["Another source already has this name"] });
}
