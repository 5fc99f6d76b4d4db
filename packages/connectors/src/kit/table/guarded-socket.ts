// The TCP socket a database driver connects through, with the same guard as kit/http.ts: unless the operator
// allows it, no connection to a loopback or private address. The check runs inside the socket's own DNS
// lookup, so a name cannot resolve to a public address for a check and a private one for the connection (DNS
// rebinding). Both `pg` and `mysql2` accept a `stream` factory, which is where this socket is handed over.
// Shared by the table destinations (postgres-table, mysql-table).
import { lookup } from "node:dns/promises";
import net from "node:net";
import { PrivateAddressError, publicOnlyLookup } from "../http";
import { isPrivateOrLoopbackHost } from "../network";

/**
 * A net.Socket whose `connect(port, host)` refuses private and loopback destinations (and Unix sockets)
 * unless `allowPrivate`. The refusal surfaces as the socket's "error" event, as any connection error does.
 */
export class GuardedSocket extends net.Socket {
  constructor(private readonly allowPrivate: boolean) {
    super();
  }

  // Drivers call connect(port, host) or connect(path); both forms are handled, any other passes through.
  override connect(...args: unknown[]): this {
    if (this.allowPrivate) return (super.connect as (...a: unknown[]) => this)(...args);
    const [first, second] = args;
    if (typeof first === "string" && !/^\d+$/.test(first)) return this.refuse(first, first); // a Unix socket path
    if (typeof first === "number" || typeof first === "string") {
      const host = typeof second === "string" && second !== "" ? second : "localhost";
      const bare = host.replace(/^\[|\]$/g, "");
      if (isPrivateOrLoopbackHost(bare)) return this.refuse(bare, bare);
      return super.connect({ port: Number(first), host: bare, lookup: publicOnlyLookup });
    }
    return (super.connect as (...a: unknown[]) => this)(...args);
  }

  private refuse(host: string, address: string): this {
    process.nextTick(() => this.destroy(new PrivateAddressError(host, address)));
    return this;
  }
}

export type HostCheck = { ok: true; message: string } | { ok: false; message: string };

const ALLOW_HINT =
  "Sluice refuses these so a destination cannot reach internal services; an operator can allow them with SLUICE_ALLOW_PRIVATE_DESTINATIONS=true.";

/** "Test connection" step: the host is allowed, resolves, and resolves only to allowed addresses. */
export async function checkHost(host: string, allowPrivate: boolean): Promise<HostCheck> {
  const bare = host.replace(/^\[|\]$/g, "");
  if (bare === "" || bare.startsWith("/")) {
    return allowPrivate
      ? { ok: true, message: `${bare || "(default)"} is a local socket; allowed by the operator.` }
      : { ok: false, message: `Connecting through a local socket is not allowed. ${ALLOW_HINT}` };
  }
  if (!allowPrivate && isPrivateOrLoopbackHost(bare)) {
    return { ok: false, message: `${bare} is a private or loopback address. ${ALLOW_HINT}` };
  }
  if (net.isIP(bare)) return { ok: true, message: `${bare} is an IP address; nothing to resolve.` };
  let addresses: { address: string }[];
  try {
    addresses = await lookup(bare, { all: true });
  } catch {
    return { ok: false, message: `The host "${bare}" could not be found in DNS. Check its spelling.` };
  }
  const blocked = addresses.find((a) => isPrivateOrLoopbackHost(a.address));
  if (blocked && !allowPrivate) {
    return { ok: false, message: `${bare} resolves to ${blocked.address}, a private or loopback address. ${ALLOW_HINT}` };
  }
  return { ok: true, message: `${bare} resolves to ${addresses.map((a) => a.address).join(", ")}.` };
}
