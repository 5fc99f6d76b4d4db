// The account's properties of an object, for the mapper: GET /crm/v3/properties/{object}. Properties whose
// values cannot be written (read-only, calculated, archived) are left out; the configured idProperty is
// marked as the identifier, and enumeration options come along.
import { z } from "zod";
import type { DestinationField, DestinationFieldType } from "../../kit/contract";
import { callHubSpot, HubSpotCallError, requireSuccess } from "./api";
import { type HubSpotConfig, idPropertyFor } from "./config";
import { HUBSPOT_OBJECTS } from "./contract";

const PropertySchema = z.looseObject({
  name: z.string(),
  label: z.string().optional(),
  type: z.string(),
  fieldType: z.string().optional(),
  description: z.string().optional(),
  options: z.array(z.looseObject({ value: z.string(), label: z.string().optional(), hidden: z.boolean().optional() })).optional(),
  hasUniqueValue: z.boolean().optional(),
  calculated: z.boolean().optional(),
  archived: z.boolean().optional(),
  modificationMetadata: z.looseObject({ readOnlyValue: z.boolean().optional() }).optional(),
});
export type HubSpotProperty = z.infer<typeof PropertySchema>;
const PropertiesResponse = z.looseObject({ results: z.array(PropertySchema) });

/** HubSpot property `type` → the mapper's field type. */
const TYPES: Record<string, DestinationFieldType> = {
  string: "string",
  phone_number: "string",
  enumeration: "string",
  number: "number",
  bool: "boolean",
  date: "date",
  datetime: "datetime",
  dateTime: "datetime",
  json: "json",
  object_coordinates: "string",
};

export async function readProperties(
  config: HubSpotConfig,
  object: string,
  options: { allowPrivate: boolean },
): Promise<HubSpotProperty[]> {
  const path = `/crm/v3/properties/${object}`;
  const { response, json } = await callHubSpot(config, { method: "GET", path, object }, options);
  requireSuccess(response, { method: "GET", path, object }, config);
  const parsed = PropertiesResponse.safeParse(json);
  if (!parsed.success) throw new HubSpotCallError(`HubSpot's list of ${object} properties could not be read (unexpected answer)`);
  return parsed.data.results;
}

export async function listHubSpotFields(
  config: HubSpotConfig,
  object: string,
  options: { allowPrivate: boolean },
): Promise<DestinationField[]> {
  if (!(HUBSPOT_OBJECTS as readonly string[]).includes(object)) {
    throw new HubSpotCallError(`HubSpot has no object "${object}" here: choose ${HUBSPOT_OBJECTS.join(" or ")}`);
  }
  const idProperty = idPropertyFor(config, object);
  const properties = await readProperties(config, object, options);
  return properties
    .filter((p) => !p.modificationMetadata?.readOnlyValue && !p.calculated && !p.archived)
    .map((p): DestinationField => {
      const field: DestinationField = { name: p.name, type: TYPES[p.type] ?? "string" };
      if (p.label) field.label = p.label;
      const notes = [
        p.description,
        p.hasUniqueValue ? "Unique values." : undefined,
        p.fieldType === "checkbox" ? "Several values: separate them with ;" : undefined,
      ]
        .filter((n): n is string => !!n)
        .join(" ");
      if (notes) field.description = notes;
      if (p.name === idProperty) field.identifier = true;
      const values = (p.options ?? []).filter((o) => !o.hidden).map((o) => o.value);
      if (p.type === "enumeration" && values.length > 0) field.options = values;
      return field;
    });
}
