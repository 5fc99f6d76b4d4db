// Bulk API 2.0 ingest jobs for large batches. A job is a conversation, not one request, so it cannot run
// on the kit's per-request runner:
//   POST  jobs/ingest {object, operation, externalIdFieldName, contentType: CSV, lineEnding: LF}  → job id
//   PUT   jobs/ingest/{id}/batches   (text/csv)                                                  → 201
//   PATCH jobs/ingest/{id} {state: UploadComplete}
//   GET   jobs/ingest/{id}  until JobComplete | Failed | Aborted (backoff between polls; aborted at the timeout)
//   GET   jobs/ingest/{id}/successfulResults/ and failedResults/  (CSV: sf__Id, sf__Created | sf__Error, fields…)
// Result rows come back in no particular order; each is matched to its record by the external ID column
// (the driver puts at most one record per external ID value into a job). Rows with sf__Error are rejected
// with its code and message; records in neither file were not processed and are failed (next run).
import { z } from "zod";
import { type DeliveryRecord, FatalDestinationError, type RecordResult } from "../../kit/delivery";
import type { HttpResponse } from "../../kit/http";
import { DEFAULT_RETRY_POLICY, sleep } from "../../kit/retry";
import { externalIdOf, matchKey } from "./collections";
import { cellText, flattenRecord, parseCsvObjects, toCsv } from "./csv";
import { configProblem, describeErrors, parseErrors, type SalesforceApi, SalesforceUnavailable } from "./rest";

/** Bulk API 2.0 takes up to 150 MB of base64-encoded CSV per upload, i.e. about 100 MB of CSV. */
export const BULK_MAX_UPLOAD_BYTES = 100_000_000;
/** Result files can be large (every field of every row comes back). */
const RESULTS_MAX_BYTES = 512 * 1024 * 1024;
const TRANSIENT_ROW_ERRORS = new Set(["UNABLE_TO_LOCK_ROW", "REQUEST_RUNNING_TOO_LONG"]);

const JobInfo = z.object({
  id: z.string().min(1),
  state: z.string(),
  errorMessage: z.string().nullish(),
  numberRecordsProcessed: z.number().optional(),
  numberRecordsFailed: z.number().optional(),
});
type JobInfo = z.infer<typeof JobInfo>;

export interface BulkJobTarget {
  sobject: string;
  externalIdField: string;
  operation: "upsert" | "insert";
  timeoutMs: number;
  /** Poll intervals grow from baseMs to capMs (the delivery's retry policy). */
  poll?: { baseMs: number; capMs: number };
  signal?: AbortSignal;
}

/** Sends `records` as one or more ingest jobs; one result per record, in order. */
export async function deliverBulk(api: SalesforceApi, target: BulkJobTarget, records: DeliveryRecord[]): Promise<RecordResult[]> {
  const results: RecordResult[] = new Array(records.length);
  for (const chunk of chunkBySize(records, target.externalIdField)) {
    const jobResults = await runJob(api, target, chunk.records, chunk.csv).catch((error: unknown) => {
      if (error instanceof SalesforceUnavailable) return chunk.records.map(() => failed(`Bulk API: ${error.message}`));
      throw error;
    });
    chunk.indexes.forEach((index, k) => {
      results[index] = jobResults[k] ?? failed("Bulk API gave no result for this record");
    });
  }
  return results;
}

/** Records as CSV, cut into uploads under the size limit. */
function chunkBySize(records: DeliveryRecord[], externalIdField: string) {
  const rows = records.map((r) => flattenRecord(r.data ?? {}));
  const header = [externalIdField, ...new Set(rows.flatMap((row) => Object.keys(row)).filter((k) => k !== externalIdField))];
  const lines = rows.map((row) => header.map((name) => cellText(row[name])));
  const chunks: { indexes: number[]; records: DeliveryRecord[]; csv: string }[] = [];
  let start = 0;
  while (start < records.length) {
    let end = records.length;
    let csv = toCsv(header, lines.slice(start, end));
    while (Buffer.byteLength(csv) > BULK_MAX_UPLOAD_BYTES && end - start > 1) {
      end = start + Math.ceil((end - start) / 2);
      csv = toCsv(header, lines.slice(start, end));
    }
    const indexes = Array.from({ length: end - start }, (_, k) => start + k);
    chunks.push({ indexes, records: indexes.map((i) => records[i] as DeliveryRecord), csv });
    start = end;
  }
  return chunks;
}

async function runJob(
  api: SalesforceApi,
  target: BulkJobTarget,
  records: DeliveryRecord[],
  csv: string,
): Promise<RecordResult[]> {
  const created = await api.request({
    method: "POST",
    path: "jobs/ingest",
    body: JSON.stringify({
      object: target.sobject,
      operation: target.operation,
      ...(target.operation === "upsert" ? { externalIdFieldName: target.externalIdField } : {}),
      contentType: "CSV",
      columnDelimiter: "COMMA",
      lineEnding: "LF",
    }),
  });
  const job = expectJob(created, `create the ${target.sobject} ${target.operation} job`);
  const upload = await api.request({ method: "PUT", path: `jobs/ingest/${job.id}/batches`, body: csv, contentType: "text/csv" });
  if (upload.status !== 201 && upload.status !== 200) {
    await abort(api, job.id);
    return records.map(() => failed(`Bulk API refused the job's data (HTTP ${upload.status}): ${errorsOf(upload)}`));
  }
  expectJob(
    await api.request({ method: "PATCH", path: `jobs/ingest/${job.id}`, body: JSON.stringify({ state: "UploadComplete" }) }),
    "close the job's upload",
  );
  const final = await waitForJob(api, target, job.id);
  if (final.state === "Failed" && /field name not found|invalid field/i.test(final.errorMessage ?? "")) {
    throw new FatalDestinationError(
      `Salesforce failed the ${target.sobject} bulk job: ${final.errorMessage} — fix the sync's mapping or create the field`,
    );
  }
  return collectResults(api, target, job.id, final, records);
}

async function waitForJob(api: SalesforceApi, target: BulkJobTarget, id: string): Promise<JobInfo> {
  const policy = target.poll ?? DEFAULT_RETRY_POLICY;
  const deadline = Date.now() + target.timeoutMs;
  for (let n = 0; ; n++) {
    const info = expectJob(await api.request({ method: "GET", path: `jobs/ingest/${id}` }), "read the job's state");
    if (info.state === "JobComplete" || info.state === "Failed" || info.state === "Aborted") return info;
    if (Date.now() >= deadline) {
      await abort(api, id);
      const within =
        target.timeoutMs >= 120_000 ? `${Math.round(target.timeoutMs / 60_000)} min` : `${target.timeoutMs / 1000} s`;
      return { ...info, state: "Aborted", errorMessage: `not finished within ${within}, aborted by Sluice` };
    }
    const wait = Math.min(policy.capMs, policy.baseMs * 2 ** n, Math.max(0, deadline - Date.now()));
    await sleep(wait, target.signal);
  }
}

async function collectResults(
  api: SalesforceApi,
  target: BulkJobTarget,
  id: string,
  job: JobInfo,
  records: DeliveryRecord[],
): Promise<RecordResult[]> {
  const byKey = new Map<string, number>();
  records.forEach((record, i) => {
    byKey.set(matchKey(externalIdOf(record, target.externalIdField)), i);
  });
  const results: (RecordResult | undefined)[] = new Array(records.length);
  const read = async (kind: "successfulResults" | "failedResults") => {
    const response = await api.request({
      method: "GET",
      path: `jobs/ingest/${id}/${kind}/`,
      accept: "text/csv",
      maxResponseBytes: RESULTS_MAX_BYTES,
    });
    if (response.status !== 200) throw new SalesforceUnavailable(`could not read the job's ${kind} (HTTP ${response.status})`);
    const { header, rows } = parseCsvObjects(response.body);
    const column = header.find((h) => h.toLowerCase() === target.externalIdField.toLowerCase());
    for (const row of rows) {
      const index = column === undefined ? undefined : byKey.get(matchKey(row[column]));
      if (index === undefined) continue;
      results[index] = kind === "successfulResults" ? { status: "ok" } : rowError(row.sf__Error ?? "");
    }
  };
  await read("successfulResults");
  await read("failedResults");
  const why = job.errorMessage ? `: ${job.errorMessage}` : "";
  return Array.from(results, (r) => r ?? failed(`Salesforce did not process this record (bulk job ${job.state}${why})`));
}

/** sf__Error is "STATUS_CODE:message:field,field --"; a locked row is worth another try. */
export function rowError(text: string): RecordResult {
  const match = /^([A-Z_]+):(.*?)(?::([^:]*?))?\s*--\s*$/s.exec(text.trim());
  const code = match?.[1];
  const reason = match
    ? describeErrors([{ statusCode: code, message: match[2] ?? "", fields: (match[3] ?? "").split(",").filter(Boolean) }])
    : text.trim() || "Salesforce failed this record without a reason";
  return code && TRANSIENT_ROW_ERRORS.has(code) ? failed(reason) : { status: "rejected", reason };
}

async function abort(api: SalesforceApi, id: string): Promise<void> {
  await api
    .request({ method: "PATCH", path: `jobs/ingest/${id}`, body: JSON.stringify({ state: "Aborted" }) })
    .catch(() => undefined);
}

function expectJob(response: HttpResponse, what: string): JobInfo {
  if (response.status === 200 || response.status === 201) {
    const job = JobInfo.safeParse(safeJson(response.body));
    if (job.success) return job.data;
    throw new SalesforceUnavailable(`could not ${what}: unreadable answer`);
  }
  const errors = parseErrors(response.body);
  // Bulk allocations (jobs or batches a day) run out the way request limits do: try again later.
  if (errors?.some((e) => e.errorCode.includes("LIMIT"))) {
    throw new SalesforceUnavailable(`could not ${what}: ${describeErrors(errors)}`);
  }
  const problem = configProblem(response.status, errors);
  if (problem || response.status === 400) {
    throw new FatalDestinationError(`Salesforce refused to ${what}: ${problem ?? errorsOf(response)}`);
  }
  throw new SalesforceUnavailable(`could not ${what} (HTTP ${response.status}): ${errorsOf(response)}`);
}

function errorsOf(response: HttpResponse): string {
  const errors = parseErrors(response.body);
  return errors ? describeErrors(errors) : response.body.slice(0, 300);
}

function failed(reason: string): RecordResult {
  return { status: "failed", reason };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
