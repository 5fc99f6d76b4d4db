// Defence in depth for audit images: callers pass already-masked views, and any key that looks secret
// (the logger's list) is masked again here, so a careless caller still cannot write a secret to the log.
import { SECRET_MASK } from "@sluice/contracts/connections";
import { SECRET_KEYS } from "../log";

const SECRET = new Set(SECRET_KEYS.map((k) => k.toLowerCase()));

export function maskSecretsDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecretsDeep);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET.has(k.toLowerCase()) && v != null ? maskWhole(v) : maskSecretsDeep(v)]),
    );
  }
  return value;
}

function maskWhole(value: unknown): unknown {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    return Object.fromEntries(Object.keys(value).map((k) => [k, SECRET_MASK]));
  }
  return SECRET_MASK;
}
