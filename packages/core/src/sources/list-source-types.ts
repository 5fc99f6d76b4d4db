// The warehouses a source can be, for the setup wizard: what each is, and its settings form as data
// (generated from the connector's zod schema), so the browser needs no connector-specific code.
import { type ConnectorField, describeConfigFields, listWarehouses } from "@sluice/connectors";
import { authorize, type WorkspaceContext } from "../context";

export interface SourceTypeView {
  slug: string;
  name: string;
  description: string;
  docsUrl: string | null;
  fields: ConnectorField[];
}

export function listSourceTypes(ctx: WorkspaceContext): SourceTypeView[] {
  authorize(ctx, "source.read");
  return listWarehouses().map((w) => ({
    slug: w.slug,
    name: w.name,
    description: w.description,
    docsUrl: w.docsUrl ?? null,
    fields: describeConfigFields(w),
  }));
}
