import { describe, expect, it } from "vitest";
import {
  createKeyring,
  EncryptionKeyError,
  generateEncryptionKey,
  needsRotation,
  openSecrets,
  parseEncryptionKey,
  sealSecrets,
} from "./crypto";

describe("credential encryption", () => {
  const keyA = generateEncryptionKey();
  const keyB = generateEncryptionKey();

  it("round-trips secrets and never leaves them readable in the envelope", () => {
    const ring = createKeyring(keyA);
    const sealed = sealSecrets({ password: "hunter2-very-secret" }, ring);
    expect(sealed.encryptedSecrets).not.toContain("hunter2");
    expect(Buffer.from(sealed.encryptedSecrets.split(":")[3] ?? "", "base64").toString("utf8")).not.toContain("hunter2");
    expect(openSecrets(sealed, ring)).toEqual({ password: "hunter2-very-secret" });
  });

  it("uses a fresh IV each time", () => {
    const ring = createKeyring(keyA);
    expect(sealSecrets({ a: 1 }, ring).encryptedSecrets).not.toEqual(sealSecrets({ a: 1 }, ring).encryptedSecrets);
  });

  it("opens envelopes sealed with a previous key after rotation, and says they need re-sealing", () => {
    const sealed = sealSecrets({ token: "t" }, createKeyring(keyA));
    const rotated = createKeyring(keyB, [keyA]);
    expect(needsRotation(sealed, rotated)).toBe(true);
    expect(openSecrets(sealed, rotated)).toEqual({ token: "t" });
    expect(() => openSecrets(sealed, createKeyring(keyB))).toThrow(/neither SLUICE_ENCRYPTION_KEY/);
  });

  it("detects tampering and a relabelled key id", () => {
    const ring = createKeyring(keyA, [keyB]);
    const sealed = sealSecrets({ token: "t" }, ring);
    const parts = sealed.encryptedSecrets.split(":");
    const body = Buffer.from(parts[3] ?? "", "base64");
    body[0] = (body[0] ?? 0) ^ 1;
    parts[3] = body.toString("base64");
    expect(() => openSecrets({ ...sealed, encryptedSecrets: parts.join(":") }, ring)).toThrow();
    expect(() => openSecrets({ ...sealed, encryptionKeyId: ring.previous[0]?.id ?? "" }, ring)).toThrow();
  });

  it("accepts hex and base64 keys and refuses a key of the wrong length with a fix", () => {
    expect(parseEncryptionKey("ab".repeat(32)).key).toHaveLength(32);
    expect(parseEncryptionKey(keyA).key).toHaveLength(32);
    expect(() => parseEncryptionKey("too-short")).toThrow(EncryptionKeyError);
    expect(() => parseEncryptionKey("ab".repeat(16))).toThrow(/must be 32 bytes.*randomBytes\(32\)/);
  });
});
