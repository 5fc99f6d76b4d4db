// Validate a submitted config against its connector (after restoring kept secrets), then split it into
// what is stored in clear and what is sealed. Nothing is written until this has succeeded.
import type { ConnectorSpec } from "@sluice/connectors";
import type { Keyring } from "@sluice/db";
import { parseInput } from "../validate-input";
import { type Config, mergeSecrets, sealIfAny, splitSecrets } from "./config-secrets";

export interface PreparedConfig {
  /** Full validated config including secrets: for testing a connection, never for storing or returning. */
  full: Config;
  plain: Config;
  encryptedSecrets: string | null;
  encryptionKeyId: string | null;
}

export function validateConfig(connector: ConnectorSpec<unknown>, incoming: Config, storedSecrets: Config): Config {
  const merged = mergeSecrets(incoming, storedSecrets, connector.secretFields);
  return parseInput(connector.configSchema, merged, "config") as Config;
}

export function prepareConfig(
  connector: ConnectorSpec<unknown>,
  incoming: Config,
  storedSecrets: Config,
  keyring: Keyring,
): PreparedConfig {
  const full = validateConfig(connector, incoming, storedSecrets);
  const { plain, secrets } = splitSecrets(full, connector.secretFields);
  return { full, plain, ...sealIfAny(secrets, keyring) };
}
