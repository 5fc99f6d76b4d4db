// Looks up the connector for a source or destination type; an unknown type is a field error.
import { type ConnectorSpec, getDestination, getWarehouse, listDestinations, listWarehouses } from "@sluice/connectors";
import { AppError } from "../errors";

export function warehouseFor(type: string) {
  return getWarehouse(type) ?? unknownType("source", type, listWarehouses());
}

export function destinationFor(type: string) {
  return getDestination(type) ?? unknownType("destination", type, listDestinations());
}

function unknownType(kind: string, type: string, known: ConnectorSpec<unknown>[]): never {
  const slugs = known.map((c) => c.slug).join(", ");
  throw new AppError("BAD_REQUEST", `Unknown ${kind} type "${type}".`, {
    type: [`Unknown type "${type}"; choose one of: ${slugs}`],
  });
}
