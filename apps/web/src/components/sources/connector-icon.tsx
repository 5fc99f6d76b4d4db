// One icon per connector slug, for cards and the catalogue; anything new falls back to a generic one.
import { Building2, Cloud, Database, type LucideIcon, Megaphone, Send, Table2, Waypoints, Webhook } from "lucide-react";

const ICONS: Record<string, LucideIcon> = {
  postgres: Database,
  mysql: Database,
  snowflake: Database,
  bigquery: Database,
  redshift: Database,
  webhook: Webhook,
  hubspot: Building2,
  salesforce: Cloud,
  braze: Megaphone,
  segment: Waypoints,
};

export function connectorIcon(slug: string, kind: "warehouse" | "destination"): LucideIcon {
  if (ICONS[slug]) return ICONS[slug];
  if (/table|postgres|mysql|sql/.test(slug)) return Table2;
  return kind === "warehouse" ? Database : Send;
}
