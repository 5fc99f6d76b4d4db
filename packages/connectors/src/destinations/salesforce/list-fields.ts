// The org's writable fields of an object, from GET /services/data/vXX.X/sobjects/{SObject}/describe:
// name, label and type (mapped onto Sluice's field types), required when Salesforce needs a value on create
// (createable, not nillable, not defaulted on create), identifier for External ID fields.
import { z } from "zod";
import type { DestinationField, DestinationFieldType } from "../../kit/contract";
import { FatalDestinationError } from "../../kit/delivery";
import { SalesforceSession } from "./auth";
import { salesforceAccountKey } from "./collections";
import { externalIdFieldFor, type SalesforceConfig } from "./config";
import { SOBJECTS } from "./contract";
import { configProblem, describeErrors, parseErrors, SalesforceApi } from "./rest";

export const DescribeField = z.object({
  name: z.string(),
  label: z.string().catch(""),
  type: z.string(),
  nillable: z.boolean().catch(true),
  createable: z.boolean().catch(false),
  updateable: z.boolean().catch(false),
  defaultedOnCreate: z.boolean().catch(false),
  externalId: z.boolean().catch(false),
  idLookup: z.boolean().catch(false),
  unique: z.boolean().catch(false),
  picklistValues: z.array(z.object({ value: z.string(), active: z.boolean().catch(true) })).catch([]),
});
export type DescribeField = z.infer<typeof DescribeField>;
const Describe = z.object({ name: z.string(), fields: z.array(DescribeField) });

/** Salesforce field types (DescribeSObjectResult) → Sluice's. */
export function fieldType(type: string): DestinationFieldType {
  switch (type) {
    case "boolean":
      return "boolean";
    case "int":
    case "long":
      return "integer";
    case "double":
    case "currency":
    case "percent":
      return "number";
    case "date":
      return "date";
    case "datetime":
      return "datetime";
    case "address":
    case "location":
      return "json";
    default:
      // string, textarea, email, phone, url, picklist, multipicklist, reference, id, combobox, time, …
      return "string";
  }
}

/** The describe result of `sobject`, through an authenticated session. */
export async function describeSObject(api: SalesforceApi, sobject: string): Promise<z.infer<typeof Describe>> {
  const response = await api.request({ method: "GET", path: `sobjects/${encodeURIComponent(sobject)}/describe` });
  if (response.status !== 200) {
    const errors = parseErrors(response.body);
    const problem = configProblem(response.status, errors);
    throw new FatalDestinationError(
      `Salesforce could not describe ${sobject}: ${problem ?? (errors ? describeErrors(errors) : `HTTP ${response.status}`)}`,
    );
  }
  const parsed = Describe.safeParse(JSON.parse(response.body));
  if (!parsed.success) throw new FatalDestinationError(`Salesforce's describe of ${sobject} was unreadable`);
  return parsed.data;
}

/** Fields of `describe` that Sluice can write, as destination fields. */
export function toDestinationFields(fields: readonly DescribeField[], externalIdField: string): DestinationField[] {
  return fields
    .filter((f) => f.createable || f.updateable)
    .map((f) => {
      const notes = [
        f.externalId ? "External ID" : "",
        f.idLookup && !f.externalId ? "idLookup (can identify records, but collections upsert needs an External ID)" : "",
        f.unique ? "unique" : "",
        f.createable ? "" : "not settable on create",
        f.updateable ? "" : "not updatable",
        f.type === "multipicklist" ? "several values separated by ;" : "",
      ].filter(Boolean);
      const field: DestinationField = {
        name: f.name,
        label: f.label || f.name,
        type: fieldType(f.type),
        description: `Salesforce type ${f.type}${notes.length ? `; ${notes.join(", ")}` : ""}`,
      };
      if (f.createable && !f.nillable && !f.defaultedOnCreate) field.required = true;
      if (f.externalId || f.name.toLowerCase() === externalIdField.toLowerCase()) field.identifier = true;
      const options = f.picklistValues.filter((p) => p.active).map((p) => p.value);
      if (options.length > 0 && f.type === "picklist") field.options = options;
      return field;
    });
}

export async function listSalesforceFields(
  config: SalesforceConfig,
  object: string,
  options: { allowPrivate: boolean },
): Promise<DestinationField[]> {
  const sobject = Object.hasOwn(SOBJECTS, object) ? SOBJECTS[object] : undefined;
  if (!sobject) throw new FatalDestinationError(`Salesforce has no object "${object}" in Sluice`);
  const session = await SalesforceSession.start(config, options);
  const api = new SalesforceApi(session, config, { ...options, account: `salesforce:${salesforceAccountKey(config)}` });
  const describe = await describeSObject(api, sobject);
  return toDestinationFields(describe.fields, externalIdFieldFor(config, sobject));
}
