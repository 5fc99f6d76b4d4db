// Which hosts a destination may not reach unless the operator allows it: loopback, private, link-local
// and other non-public ranges. Without this, anyone who can add a webhook could make the server call
// internal services (SSRF), e.g. a cloud metadata endpoint at 169.254.169.254.
import net from "node:net";

/** Literal IPv4/IPv6 addresses and localhost names that are not public. DNS names are checked after resolution. */
export function isPrivateOrLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "");
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  const family = net.isIP(h);
  if (family === 4) return isPrivateIPv4(h);
  if (family === 6) return isPrivateIPv6(h);
  return false;
}

function isPrivateIPv4(ip: string): boolean {
  const [a = 0, b = 0] = ip.split(".").map(Number);
  return (
    a === 0 || // "this network"
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) || // link-local, cloud metadata
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    a >= 224 // multicast and reserved
  );
}

function isPrivateIPv6(ip: string): boolean {
  if (ip === "::" || ip === "::1") return true;
  // IPv4-mapped (::ffff:10.0.0.1) would otherwise smuggle a private IPv4 address past the check.
  const mapped = ip.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/);
  if (mapped?.[1]) return isPrivateIPv4(mapped[1]);
  const hexMapped = ip.match(/^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/);
  if (hexMapped?.[1] && hexMapped[2]) {
    const hi = Number.parseInt(hexMapped[1], 16);
    const lo = Number.parseInt(hexMapped[2], 16);
    return isPrivateIPv4(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  }
  const first = Number.parseInt(ip.split(":")[0] || "0", 16);
  return (
    (first & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (first & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (first & 0xff00) === 0xff00 // multicast
  );
}
