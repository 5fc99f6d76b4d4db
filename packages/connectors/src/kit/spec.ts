// What every connector declares. Config is plain data validated by a zod schema; fields named in
// `secretFields` are split out by the control plane, encrypted at rest and masked in every view.
import type { ConnectionCheck, ConnectionCheckStep } from "@sluice/contracts/connections";
import type { z } from "zod";
import type { DestinationContract, DestinationField } from "./contract";
import type { DestinationDriver } from "./delivery";

export type { ConnectionCheck, ConnectionCheckStep };

export type ConnectorKind = "warehouse" | "destination";

export interface ConnectorSpec<C> {
  slug: string;
  name: string;
  kind: ConnectorKind;
  description: string;
  /** Every field carries `.describe()` text: forms are generated from it (see describeConfigFields). */
  configSchema: z.ZodType<C>;
  /** Top-level config keys holding secrets. A string is masked whole; a record of strings has each value masked. */
  secretFields: readonly string[];
  docsUrl?: string;
}

export interface WarehouseConnector<C> extends ConnectorSpec<C> {
  kind: "warehouse";
  /** `schemas`: the schemas models will read, checked for read access (the setup wizard asks for them). */
  testConnection(config: C, options?: { schemas?: readonly string[] }): Promise<ConnectionCheck>;
}

export interface DestinationConnector<C> extends ConnectorSpec<C> {
  kind: "destination";
  /** `allowPrivate`: the operator allows loopback/private addresses (SLUICE_ALLOW_PRIVATE_DESTINATIONS). */
  testConnection(config: C, options: { allowPrivate: boolean }): Promise<ConnectionCheck>;
  /** Objects, fields, modes, batch and rate limits, docs: the destination as typed data. */
  contract: DestinationContract;
  driver: DestinationDriver<C>;
  /** The account's fields of an object beyond the contract's (custom properties, describe results). */
  listFields?(config: C, object: string, options: { allowPrivate: boolean }): Promise<DestinationField[]>;
}

/** Runs named steps in order and stops at the first failure: later steps depend on earlier ones. */
export async function runSteps(
  steps: { name: string; run: () => Promise<string> }[],
  explain: (error: unknown) => string,
): Promise<ConnectionCheck> {
  const done: ConnectionCheckStep[] = [];
  for (const step of steps) {
    try {
      done.push({ name: step.name, ok: true, message: await step.run() });
    } catch (error) {
      done.push({ name: step.name, ok: false, message: explain(error) });
      return { ok: false, steps: done };
    }
  }
  return { ok: true, steps: done };
}

/** A failure whose message is already written for the user. */
export class CheckFailure extends Error {
  override name = "CheckFailure";
}
