// Connection pools shared across deliver() calls: one small pool per destination config (keyed by a hash of
// the config, so the password is never a map key or a log line), closed once it has been idle for a while.
// A run sends batch after batch to the same table; reconnecting (TLS, auth) for each would cost more than
// the write. Shared by the postgres-table and mysql-table destinations.
import { createHash } from "node:crypto";
import type { TableInfo } from "./types";

/** How long a pool may sit unused before it is closed (its connections with it). */
export const POOL_IDLE_MS = 30_000;

interface Entry<P> {
  pool: P;
  users: number;
  timer?: NodeJS.Timeout;
}

export class PoolCache<P> {
  private readonly entries = new Map<string, Entry<P>>();

  constructor(
    private readonly close: (pool: P) => Promise<void>,
    private readonly idleMs: number = POOL_IDLE_MS,
  ) {}

  /** Runs `fn` with the pool for `key` (created on first use); the pool's idle clock starts when no call uses it. */
  async use<T>(key: string, create: () => P, fn: (pool: P) => Promise<T>): Promise<T> {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { pool: create(), users: 0 };
      this.entries.set(key, entry);
    }
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = undefined;
    entry.users++;
    try {
      return await fn(entry.pool);
    } finally {
      entry.users--;
      if (entry.users === 0) this.scheduleClose(key, entry);
    }
  }

  /** Pools currently open (tests assert nothing leaks). */
  get size(): number {
    return this.entries.size;
  }

  /** Closes every pool now (worker shutdown, end of a test file). */
  async closeAll(): Promise<void> {
    const entries = [...this.entries.values()];
    this.entries.clear();
    for (const entry of entries) if (entry.timer) clearTimeout(entry.timer);
    await Promise.all(entries.map((e) => this.close(e.pool).catch(() => {})));
  }

  private scheduleClose(key: string, entry: Entry<P>): void {
    entry.timer = setTimeout(() => {
      if (this.entries.get(key) !== entry || entry.users > 0) return;
      this.entries.delete(key);
      this.close(entry.pool).catch(() => {});
    }, this.idleMs);
    // An idle pool must not keep the process (a worker draining, a test run) alive.
    entry.timer.unref();
  }
}

/** How long a table's description is trusted before it is read again (columns may be added meanwhile). */
export const TABLE_INFO_TTL_MS = 60_000;

/** A pool entry's cached description of its table. */
export interface TableInfoCache {
  info?: { value: TableInfo; at: number };
}

/** The cached description of the pool's table, read again when older than TABLE_INFO_TTL_MS or when asked. */
export async function cachedTableInfo(
  entry: TableInfoCache,
  read: () => Promise<TableInfo | undefined>,
  fresh = false,
): Promise<TableInfo | undefined> {
  if (!fresh && entry.info && Date.now() - entry.info.at < TABLE_INFO_TTL_MS) return entry.info.value;
  const value = await read();
  entry.info = value ? { value, at: Date.now() } : undefined;
  return value;
}

/** A stable hash of a config object (key order does not matter); used as the pool key, never shown. */
export function configKey(config: unknown, extra = ""): string {
  return createHash("sha256")
    .update(`${stableJson(config)}\n${extra}`)
    .digest("hex");
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
