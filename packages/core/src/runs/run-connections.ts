// The run's two ends, opened with decrypted credentials. Failures here are final for the run (the
// warehouse is unreachable, the destination is misconfigured): they become RunFailure with a message
// that names the cause.
import type { DestinationDriver } from "@sluice/connectors/kit/delivery";
import { getWarehouseAdapter, type WarehouseSession } from "@sluice/connectors/kit/warehouse";
import { getDestination, getWarehouse } from "@sluice/connectors/registry";
import { z } from "zod";
import type { Services } from "../context";
import { loadDestinationWithSecrets } from "../destinations/load-destination-with-secrets";
import { isAppError } from "../errors";
import { loadSourceWithSecrets } from "../sources/load-source-with-secrets";
import { errorMessage, RunFailure } from "./run-errors";

export interface OpenWarehouse {
  name: string;
  session: WarehouseSession;
}

export async function openWarehouse(s: Services, sourceId: string): Promise<OpenWarehouse> {
  const source = await loadOrFail(() => loadSourceWithSecrets(s, sourceId), "the model's source no longer exists");
  const adapter = getWarehouseAdapter(source.type);
  const connector = getWarehouse(source.type);
  if (!adapter || !connector) throw new RunFailure(`Sluice cannot read from warehouses of type "${source.type}"`);
  const config = connector.configSchema.safeParse(source.config);
  if (!config.success) {
    throw new RunFailure(`the settings of warehouse "${source.name}" are invalid: ${z.prettifyError(config.error)}`);
  }
  try {
    return { name: source.name, session: await adapter.open(config.data) };
  } catch (error) {
    throw new RunFailure(`could not connect to warehouse "${source.name}": ${errorMessage(error)}`, { cause: error });
  }
}

export interface OpenDestination {
  name: string;
  config: unknown;
  driver: DestinationDriver<unknown>;
}

export async function openDestination(s: Services, destinationId: string): Promise<OpenDestination> {
  const destination = await loadOrFail(() => loadDestinationWithSecrets(s, destinationId), "the destination no longer exists");
  const connector = getDestination(destination.type);
  const driver = connector?.driver as DestinationDriver<unknown> | undefined;
  if (!driver || !connector) throw new RunFailure(`Sluice cannot deliver to destinations of type "${destination.type}"`);
  const config = connector.configSchema.safeParse(destination.config);
  if (!config.success) {
    throw new RunFailure(`the settings of destination "${destination.name}" are invalid: ${z.prettifyError(config.error)}`);
  }
  return { name: destination.name, config: config.data, driver };
}

async function loadOrFail<T>(load: () => Promise<T>, missing: string): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isAppError(error) && error.code === "NOT_FOUND") throw new RunFailure(missing);
    throw error;
  }
}
