import type { ConnectionView } from "../connections/connection-view";
import { AppError } from "../errors";

export type DestinationView = ConnectionView;

export function destinationNotFound(): AppError {
  return new AppError("NOT_FOUND", "Destination not found.");
}

export function destinationNameTaken(name: string): AppError {
  return new AppError("CONFLICT", `A destination named "${name}" already exists.`, {
    name: ["Another destination already has this name"],
  });
}
