// "Test connection" for Salesforce: sign in with the configured flow, then describe each object Sluice
// writes and check its external ID field exists and is marked External ID. Objects are checked one by one
// (a missing field on Lead does not hide that Contact is ready); the check is ok only when all are.
import type { ConnectionCheck, ConnectionCheckStep } from "../../kit/spec";
import { SalesforceSession } from "./auth";
import { salesforceAccountKey } from "./collections";
import { externalIdFieldFor, type SalesforceConfig } from "./config";
import { SOBJECTS, salesforceContract } from "./contract";
import { describeSObject } from "./list-fields";
import { SalesforceApi } from "./rest";

export async function testSalesforceConnection(
  config: SalesforceConfig,
  options: { allowPrivate: boolean },
): Promise<ConnectionCheck> {
  const steps: ConnectionCheckStep[] = [];
  const flow = config.authFlow === "jwt" ? "the JWT bearer flow" : "the username-password flow";
  let session: SalesforceSession;
  try {
    session = await SalesforceSession.start(config, { ...options, retry: { attempts: 2, baseMs: 500, capMs: 1_000 } });
    steps.push({
      name: "Sign in",
      ok: true,
      message: `Signed in as ${config.username} with ${flow}; instance ${session.current.instanceUrl}.`,
    });
  } catch (error) {
    steps.push({ name: "Sign in", ok: false, message: messageOf(error) });
    return { ok: false, steps };
  }
  const api = new SalesforceApi(session, config, {
    ...options,
    retry: { attempts: 2, baseMs: 500, capMs: 1_000 },
    account: `salesforce:${salesforceAccountKey(config)}`,
  });
  for (const object of salesforceContract.objects) {
    const sobject = SOBJECTS[object.name] as string;
    const field = externalIdFieldFor(config, sobject);
    const name = `Check ${sobject}`;
    try {
      const describe = await describeSObject(api, sobject);
      const found = describe.fields.find((f) => f.name.toLowerCase() === field.toLowerCase());
      if (!found) {
        steps.push({
          name,
          ok: false,
          message: `${sobject} has no field ${field}. To sync ${object.label.toLowerCase()}, create a Text(255) field named ${field} marked "External ID" and "Unique", or set externalIdFields.${sobject} to an existing External ID field.`,
        });
      } else if (!found.externalId) {
        steps.push({
          name,
          ok: false,
          message: `${sobject}.${found.name} is not marked "External ID"; sObject Collections upsert matches only on External ID fields. Mark it, or choose another field in externalIdFields.${sobject}.`,
        });
      } else {
        const writable = describe.fields.filter((f) => f.createable || f.updateable).length;
        steps.push({
          name,
          ok: true,
          message: `${sobject} is readable (${writable} writable fields); records are matched on ${found.name}${found.unique ? " (unique)" : " — mark it Unique to avoid ambiguous matches"}.`,
        });
      }
    } catch (error) {
      steps.push({ name, ok: false, message: messageOf(error) });
    }
  }
  return { ok: steps.every((s) => s.ok), steps };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
