// The destination catalogue for the setup wizard: every destination in the registry with what it writes
// (its contract's objects and modes), its documentation links and its settings form as data.
import { type ConnectorField, describeConfigFields, listDestinations } from "@sluice/connectors";
import type { SyncMode } from "@sluice/contracts/sync-config";
import { authorize, type WorkspaceContext } from "../context";

export interface DestinationTypeView {
  slug: string;
  name: string;
  description: string;
  docsUrl: string | null;
  docs: { title: string; url: string }[];
  objects: { name: string; label: string; description: string | null; modes: SyncMode[] }[];
  fields: ConnectorField[];
}

export function listDestinationTypes(ctx: WorkspaceContext): DestinationTypeView[] {
  authorize(ctx, "destination.read");
  return listDestinations()
    .map((d) => ({
      slug: d.slug,
      name: d.name,
      description: d.description,
      docsUrl: d.docsUrl ?? null,
      docs: d.contract.docs.map((l) => ({ title: l.title, url: l.url })),
      objects: d.contract.objects.map((o) => ({
        name: o.name,
        label: o.label,
        description: o.description ?? null,
        modes: [...o.modes],
      })),
      fields: describeConfigFields(d),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
