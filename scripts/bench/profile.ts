// Where an engine run's time goes, without touching the engine: the child wraps the warehouse session the
// Postgres adapter opens, the webhook driver's deliver, and the control-plane client's transactions and
// run reads, adding up wall time per call. Delivery is sequential (one batch at a time), so these sums
// plus the engine's own CPU (mapping, hashing) account for the delivering phase.
import { performance } from "node:perf_hooks";
import { webhookDriver } from "@sluice/connectors/destinations/webhook/deliver";
import { postgresWarehouseAdapter } from "@sluice/connectors/warehouses/postgres/adapter";
import type { Db } from "@sluice/db";

export interface CallStat {
  name: string;
  calls: number;
  ms: number;
}

export class Profile {
  private readonly stats = new Map<string, CallStat>();

  async time<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await fn();
    } finally {
      const stat = this.stats.get(name) ?? { name, calls: 0, ms: 0 };
      stat.calls++;
      stat.ms += performance.now() - started;
      this.stats.set(name, stat);
    }
  }

  list(): CallStat[] {
    return [...this.stats.values()].sort((a, b) => b.ms - a.ms);
  }
}

type AnyFn = (...args: unknown[]) => Promise<unknown>;

/** Times every call of the warehouse sessions the adapter opens, and every webhook batch. */
export function instrumentConnectors(profile: Profile): void {
  const open = postgresWarehouseAdapter.open;
  postgresWarehouseAdapter.open = async (config) => {
    const session = await open(config);
    const methods = session as unknown as Record<string, AnyFn>;
    for (const name of Object.keys(methods)) {
      const method = methods[name] as AnyFn;
      methods[name] = (...args) => profile.time(`warehouse.${name}`, () => method(...args));
    }
    return session;
  };
  const deliver = webhookDriver.deliver;
  webhookDriver.deliver = (config, batch, options) =>
    profile.time("webhook.deliver (JSON + HTTP)", () => deliver(config, batch, options));
}

/** The control-plane client, with interactive transactions and run-row reads timed. */
export function instrumentDb(db: Db, profile: Profile): Db {
  const timedDelegate = (delegate: object, model: string) =>
    new Proxy(delegate, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => profile.time(`controlPlane.${model}.${String(prop)}`, () => value.apply(target, args));
      },
    });
  return new Proxy(db, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop === "$transaction" && typeof value === "function") {
        return (...args: unknown[]) => profile.time("controlPlane.$transaction", () => value.apply(target, args));
      }
      if (prop === "syncRun" && typeof value === "object" && value !== null) return timedDelegate(value, "syncRun");
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
