// Delivery of one batch to Salesforce. Signs in once per call, then, by mode:
//   upsert / mirror  → sObject Collections upsert on the external ID field (PATCH, 200 per request), or one
//                      Bulk API 2.0 upsert job when the Bulk API is on and the batch reaches bulkThreshold;
//   insert           → sObject Collections create (POST), or a Bulk API 2.0 insert job;
//   update           → the records' Ids are looked up by external ID (SOQL), then Collections update by Id
//                      (PATCH composite/sobjects). Salesforce has no "update only" upsert, so this is the one
//                      way to never create; a record with no match is rejected.
//   mirror deletes   → Ids looked up the same way, then Collections delete; no match means already gone (ok).
// Deletes go first, so a record deleted and re-added under the same external ID in one batch ends present.
// A session that ends mid-batch (401 INVALID_SESSION_ID) is renewed once and the refused records re-sent.
import { findObject } from "../../kit/contract";
import {
  type BatchOutcome,
  type DeliverOptions,
  type DeliveryBatch,
  type DeliveryRecord,
  type DestinationDriver,
  type Exchange,
  FatalDestinationError,
  type RecordResult,
} from "../../kit/delivery";
import { deliverHttpBatch } from "../../kit/http-destination";
import { DEFAULT_RETRY_POLICY } from "../../kit/retry";
import { SalesforceSession } from "./auth";
import { deliverBulk } from "./bulk";
import {
  type CollectionAction,
  collectionsDestination,
  externalIdOf,
  matchKey,
  type SalesforceRun,
  salesforceAccountKey,
} from "./collections";
import { COLLECTIONS_PAGE_SIZE, externalIdFieldFor, pageSizeFor, type SalesforceConfig, salesforceConfigSchema } from "./config";
import { SOBJECTS, salesforceContract } from "./contract";
import { SalesforceApi } from "./rest";

/** Exchanges kept per BatchOutcome (as the kit does). */
const RECORDED_EXCHANGES = 20;

export const salesforceDriver: DestinationDriver<SalesforceConfig> = {
  maxBatchRecords: (config) => {
    const parsed = salesforceConfigSchema.safeParse(config);
    return parsed.success ? pageSizeFor(parsed.data) : COLLECTIONS_PAGE_SIZE;
  },
  deliver: deliverSalesforceBatch,
};

export async function deliverSalesforceBatch(
  rawConfig: SalesforceConfig,
  batch: DeliveryBatch,
  options: DeliverOptions,
): Promise<BatchOutcome> {
  const started = performance.now();
  const config = parseConfig(rawConfig);
  const object = findObject(salesforceContract, batch.object);
  const sobject = object ? SOBJECTS[object.name] : undefined;
  if (!object || !sobject) {
    const known = salesforceContract.objects.map((o) => o.name).join(", ");
    throw new FatalDestinationError(`Salesforce has no object "${batch.object ?? ""}" in Sluice (it writes: ${known})`);
  }
  const externalIdField = externalIdFieldFor(config, sobject);
  const retry = options.retry ?? DEFAULT_RETRY_POLICY;
  const session = await SalesforceSession.start(config, options);
  const run: SalesforceRun = {
    config,
    sobject,
    externalIdField,
    session,
    retry,
    actions: new Map(),
    ids: new Map(),
    expired: new Set(),
    limitHits: 0,
  };
  const delivery = new Delivery(run, batch, options);
  const mode = batch.mode ?? "upsert";

  const writes: number[] = [];
  const deletes: number[] = [];
  batch.records.forEach((record, i) => {
    if (externalIdOf(record, externalIdField) === undefined) {
      delivery.settle(i, {
        status: "rejected",
        reason:
          record.op === "delete"
            ? `no ${externalIdField} among the record's last synced fields, so the ${sobject} record to delete cannot be found`
            : `${externalIdField} is missing: map a column to ${sobject}.${externalIdField}, the external ID Sluice matches records on`,
      });
    } else (record.op === "delete" ? deletes : writes).push(i);
  });

  if (deletes.length > 0) {
    const found = await delivery.lookup(deletes, "delete");
    await delivery.collections(found, "delete");
  }
  if (mode === "update") {
    const found = await delivery.lookup(writes, "update");
    await delivery.collections(found, "update");
  } else {
    const action = mode === "insert" ? "create" : "upsert";
    let rest = writes;
    if (config.useBulkApi && writes.length >= config.bulkThreshold) {
      // One record per external ID value in a job: results are matched back by that value.
      const seen = new Set<string>();
      const first: number[] = [];
      rest = [];
      for (const i of writes) {
        const key = matchKey(externalIdOf(batch.records[i] as DeliveryRecord, externalIdField));
        (seen.has(key) ? rest : first).push(i);
        seen.add(key);
      }
      await delivery.bulk(first, action === "create" ? "insert" : "upsert");
    }
    await delivery.collections(rest, action);
  }
  return delivery.outcome(started);
}

function parseConfig(raw: SalesforceConfig): SalesforceConfig {
  const parsed = salesforceConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new FatalDestinationError(
    `the Salesforce settings are invalid (${issue?.path.join(".") || "config"}: ${issue?.message})`,
  );
}

/** One deliver() call's passes and what they came to. */
class Delivery {
  private readonly results: (RecordResult | undefined)[];
  private readonly exchanges: Exchange[] = [];
  private attempts = 0;
  private throttledMs = 0;
  private readonly api: SalesforceApi;

  constructor(
    private readonly run: SalesforceRun,
    private readonly batch: DeliveryBatch,
    private readonly options: DeliverOptions,
  ) {
    this.results = new Array(batch.records.length);
    this.api = new SalesforceApi(run.session, run.config, {
      ...options,
      account: `salesforce:${salesforceAccountKey(run.config)}`,
      record: (exchange) => this.exchanges.push(exchange),
    });
  }

  settle(index: number, result: RecordResult): void {
    this.results[index] = result;
  }

  /**
   * Looks up the Ids of records by external ID. Records with exactly one match are returned; the rest are
   * settled here: no match is fine for a delete (already gone) and a rejection for an update; several
   * matches are rejected, since Sluice cannot tell which one the row is.
   */
  async lookup(indexes: number[], purpose: "delete" | "update"): Promise<number[]> {
    const looked = await this.pass(indexes, "lookup");
    const found: number[] = [];
    const { sobject, externalIdField } = this.run;
    for (const i of indexes) {
      const result = looked.get(i);
      if (result && result.status !== "ok") {
        this.settle(i, result);
        continue;
      }
      const record = this.batch.records[i] as DeliveryRecord;
      const ids = this.run.ids.get(record) ?? [];
      const value = JSON.stringify(externalIdOf(record, externalIdField));
      if (ids.length === 1) found.push(i);
      else if (ids.length === 0 && purpose === "delete") this.settle(i, { status: "ok" });
      else if (ids.length === 0) {
        this.settle(i, {
          status: "rejected",
          reason: `no ${sobject} has ${externalIdField} = ${value}; update mode only changes existing records`,
        });
      } else {
        this.settle(i, {
          status: "rejected",
          reason: `${ids.length} ${sobject} records have ${externalIdField} = ${value} (${ids.join(", ")}); Sluice ${purpose}s only a unique match — make the field Unique`,
        });
      }
    }
    return found;
  }

  async collections(indexes: number[], action: Exclude<CollectionAction, "lookup">): Promise<void> {
    for (const [i, result] of await this.pass(indexes, action)) this.settle(i, result);
  }

  async bulk(indexes: number[], operation: "upsert" | "insert"): Promise<void> {
    if (indexes.length === 0) return;
    const before = this.api.requests;
    const results = await deliverBulk(
      this.api,
      {
        sobject: this.run.sobject,
        externalIdField: this.run.externalIdField,
        operation,
        timeoutMs: this.run.config.bulkTimeoutMinutes * 60_000,
        poll: { baseMs: this.run.retry.baseMs, capMs: this.run.retry.capMs },
        ...(this.options.signal ? { signal: this.options.signal } : {}),
      },
      indexes.map((i) => this.batch.records[i] as DeliveryRecord),
    );
    this.attempts += this.api.requests - before;
    indexes.forEach((i, k) => {
      this.settle(i, results[k] ?? { status: "failed", reason: "Bulk API gave no result for this record" });
    });
  }

  /**
   * Sends records through the kit as `action`. Records refused with 401 are sent once more after the
   * session is renewed; a second refusal is fatal (raised by the classifier).
   */
  private async pass(indexes: number[], action: CollectionAction): Promise<Map<number, RecordResult>> {
    const settled = new Map<number, RecordResult>();
    let pending = indexes;
    while (pending.length > 0) {
      const records = pending.map((i) => this.batch.records[i] as DeliveryRecord);
      for (const record of records) this.run.actions.set(record, action);
      this.run.expired.clear();
      const token = this.run.session.current.accessToken;
      const outcome = await deliverHttpBatch(
        collectionsDestination(this.run),
        this.run.config,
        { ...this.batch, records },
        this.options,
      );
      this.attempts += outcome.attempts;
      this.throttledMs += outcome.throttledMs ?? 0;
      this.exchanges.push(...(outcome.exchanges ?? []));
      const again: number[] = [];
      records.forEach((record, k) => {
        const index = pending[k] as number;
        if (this.run.expired.has(record)) again.push(index);
        else settled.set(index, outcome.results[k] ?? { status: "failed", reason: "no result for this record" });
      });
      if (again.length > 0) await this.run.session.renew(token);
      pending = again;
    }
    return settled;
  }

  outcome(started: number): BatchOutcome {
    const exchanges = this.exchanges.slice(-RECORDED_EXCHANGES);
    const last = exchanges[exchanges.length - 1];
    return {
      results: this.batch.records.map(
        (_, i) => this.results[i] ?? { status: "failed", reason: "the record was not delivered (no final answer)" },
      ),
      attempts: this.attempts,
      latencyMs: Math.round(performance.now() - started),
      throttledMs: Math.round(this.throttledMs),
      request: last?.request ?? { method: "POST", url: "", headers: {}, body: "" },
      ...(last?.response ? { response: last.response } : {}),
      exchanges,
    };
  }
}
