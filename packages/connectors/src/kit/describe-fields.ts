// Form fields derived from a connector's zod config schema, so the web app renders any connector's
// form without connector-specific UI code.
import { z } from "zod";
import type { ConnectorSpec } from "./spec";

export interface ConnectorField {
  key: string;
  type: "string" | "number" | "boolean" | "enum" | "record";
  description: string;
  required: boolean;
  secret: boolean;
  default?: unknown;
  options?: string[];
}

type JsonSchemaProp = { type?: string; description?: string; default?: unknown; enum?: unknown[] };

export function describeConfigFields(spec: ConnectorSpec<unknown>): ConnectorField[] {
  // "input" mode: fields with defaults are optional to the person filling the form.
  const json = z.toJSONSchema(spec.configSchema, { io: "input", unrepresentable: "any" }) as {
    properties?: Record<string, JsonSchemaProp>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([key, prop]) => {
    const field: ConnectorField = {
      key,
      type: prop.enum ? "enum" : fieldType(prop.type),
      description: prop.description ?? "",
      required: json.required?.includes(key) ?? false,
      secret: spec.secretFields.includes(key),
    };
    if (prop.default !== undefined) field.default = prop.default;
    if (prop.enum) field.options = prop.enum.map(String);
    return field;
  });
}

function fieldType(type: string | undefined): ConnectorField["type"] {
  if (type === "number" || type === "integer") return "number";
  if (type === "boolean") return "boolean";
  if (type === "object") return "record";
  return "string";
}
