// Test-only: an emulated org with a connected app whose certificate key pair is generated here, and
// configs that sign in to it with either flow.
import { generateKeyPairSync } from "node:crypto";
import type { DeliveryBatch, DeliveryRecord } from "../../kit/delivery";
import type { RetryPolicy } from "../../kit/retry";
import { type SalesforceConfig, salesforceConfigSchema } from "./config";
import { type SalesforceEmulator, type SalesforceEmulatorOptions, startSalesforceEmulator } from "./emulator";

export const FAST_RETRY: RetryPolicy = { attempts: 3, baseMs: 1, capMs: 5 };
export const TEST_OPTIONS = { allowPrivate: true, retry: FAST_RETRY } as const;

export function rsaKeyPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

let sharedKeys: ReturnType<typeof rsaKeyPair> | undefined;
/** One key pair per test file (generating RSA keys is slow). */
export function testKeyPair(): ReturnType<typeof rsaKeyPair> {
  sharedKeys ??= rsaKeyPair();
  return sharedKeys;
}

export interface TestOrg {
  emulator: SalesforceEmulator;
  keys: { privateKeyPem: string; publicKeyPem: string };
  /** A JWT-flow config for this org (overrides applied, then validated). */
  jwtConfig(extra?: Partial<Record<keyof SalesforceConfig, unknown>>): SalesforceConfig;
  /** A username-password-flow config for this org. */
  passwordConfig(extra?: Partial<Record<keyof SalesforceConfig, unknown>>): SalesforceConfig;
}

export async function startTestOrg(options: SalesforceEmulatorOptions = {}): Promise<TestOrg> {
  const keys = testKeyPair();
  const emulator = await startSalesforceEmulator({ publicKeyPem: keys.publicKeyPem, ...options });
  const base = {
    loginUrl: emulator.url,
    consumerKey: options.consumerKey ?? "3MVG9-sluice-test-consumer-key",
    username: options.username ?? "integration@sluice.test",
  };
  return {
    emulator,
    keys,
    jwtConfig: (extra = {}) =>
      salesforceConfigSchema.parse({ ...base, authFlow: "jwt", privateKey: keys.privateKeyPem, ...extra }),
    passwordConfig: (extra = {}) =>
      salesforceConfigSchema.parse({
        ...base,
        authFlow: "password",
        clientSecret: options.consumerSecret ?? "sluice-test-consumer-secret",
        password: options.password ?? "hunter2SECURITYTOKEN",
        ...extra,
      }),
  };
}

export function contactBatch(records: DeliveryRecord[], extra: Partial<DeliveryBatch> = {}): DeliveryBatch {
  return { syncId: "sync1", runId: "run1", batchId: "run1-1", object: "contacts", mode: "upsert", records, ...extra };
}

/** A contact record with external ID `c-{n}`. */
export function contact(n: number, data: Record<string, unknown> = {}, op: DeliveryRecord["op"] = "insert"): DeliveryRecord {
  return {
    op,
    key: { id: n },
    data: { External_Id__c: `c-${n}`, LastName: `Last ${n}`, Email: `user${n}@example.com`, ...data },
    idempotencyKey: `k${n}`,
  };
}
