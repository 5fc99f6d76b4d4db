// The three control-plane objects the demo registers, found by their fixed names in a workspace.
import type { WorkspaceContext } from "../context";

export const DEMO_SOURCE_NAME = "Demo warehouse";
export const DEMO_DESTINATION_NAME = "Demo inbox";
export const DEMO_MODEL_NAME = "Demo customers";
/** A CLI-friendly name: `npx sluice sync run demo-customers --workspace <slug> --wait`. */
export const DEMO_SYNC_NAME = "demo-customers";

/** What the demo sync sends for each customer: nested traits, casts where the warehouse types differ. */
export const DEMO_SYNC_MAPPINGS = [
  { from: "email", to: "email" },
  { from: "first_name", to: "firstName" },
  { from: "last_name", to: "lastName" },
  { from: "company_name", to: "company.name" },
  { from: "company_domain", to: "company.domain" },
  { from: "plan", to: "traits.plan" },
  { from: "lifetime_value_usd", to: "traits.lifetimeValueUsd", cast: "number" as const },
  { from: "lead_score", to: "traits.leadScore", cast: "number" as const },
  { from: "is_active", to: "traits.active", cast: "boolean" as const },
  { from: "signed_up_at", to: "traits.signedUpAt", cast: "date" as const },
  { constant: "sluice-demo", to: "source" },
];

// The columns a marketing or success team would sync, with the company's name and traits alongside.
export const DEMO_MODEL_QUERY = `select
  c.id, c.email, c.first_name, c.last_name, c.job_title, c.phone, c.country, c.city,
  c.plan, c.lifetime_value_usd, c.lead_score, c.is_active, c.signed_up_at, c.last_seen_at, c.updated_at,
  co.id as company_id, co.name as company_name, co.domain as company_domain, co.industry as company_industry,
  co.employee_count as company_employee_count
from demo.customers c
join demo.companies co on co.id = c.company_id`;
export const DEMO_MODEL_PRIMARY_KEY = ["id"];

export async function findDemoObjects(ctx: WorkspaceContext) {
  const where = { workspaceId: ctx.workspaceId };
  const [source, destination, model, sync] = await Promise.all([
    ctx.db.source.findFirst({ where: { ...where, name: DEMO_SOURCE_NAME } }),
    ctx.db.destination.findFirst({ where: { ...where, name: DEMO_DESTINATION_NAME } }),
    ctx.db.model.findFirst({ where: { ...where, name: DEMO_MODEL_NAME } }),
    ctx.db.sync.findFirst({ where: { ...where, name: DEMO_SYNC_NAME } }),
  ]);
  return { source, destination, model, sync };
}
