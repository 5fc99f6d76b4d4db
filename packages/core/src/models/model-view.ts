// What leaves the server for a model: its SQL, primary key and source (by id and name).
import type { Model } from "@sluice/db";
import { AppError } from "../errors";

export interface ModelView {
  id: string;
  name: string;
  sourceId: string;
  sourceName: string;
  query: string;
  primaryKey: string[];
  createdAt: Date;
  updatedAt: Date;
}

export type ModelRowWithSource = Model & { source: { name: string } };

/** Prisma `include` that brings what a view needs. */
export const MODEL_VIEW_INCLUDE = { source: { select: { name: true } } } as const;

export function toModelView(row: ModelRowWithSource): ModelView {
  return {
    id: row.id,
    name: row.name,
    sourceId: row.sourceId,
    sourceName: row.source.name,
    query: row.query,
    primaryKey: row.primaryKey,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The audit image: what a model is, without timestamps. */
export function modelAuditImage(view: ModelView) {
  return { id: view.id, name: view.name, sourceId: view.sourceId, query: view.query, primaryKey: view.primaryKey };
}

export function modelNotFound(): AppError {
  return new AppError("NOT_FOUND", "Model not found.");
}

export function modelNameTaken(name: string): AppError {
  return new AppError("CONFLICT", `A model named "${name}" already exists.`, { name: ["Another model already has this name"] });
}

export function modelSourceNotFound(): AppError {
  return new AppError("BAD_REQUEST", "That source does not exist in this workspace.", { sourceId: ["Source not found"] });
}
