import { describe, expect, it } from "vitest";
import { can, PERMISSIONS, RoleSchema } from "./roles";

describe("roles", () => {
  it("lets a viewer read everything it may see and change nothing", () => {
    for (const [permission] of Object.entries(PERMISSIONS) as [keyof typeof PERMISSIONS, string][]) {
      const isRead = permission.endsWith(".read") && permission !== "apiKey.read" && permission !== "audit.read";
      expect(can("viewer", permission)).toBe(isRead);
    }
  });

  it("orders roles owner > admin > editor > viewer", () => {
    expect(can("editor", "sync.run")).toBe(true);
    expect(can("editor", "source.write")).toBe(false);
    expect(can("admin", "source.write")).toBe(true);
    expect(can("admin", "workspace.delete")).toBe(false);
    for (const role of RoleSchema.options) expect(can(role, "workspace.read")).toBe(true);
  });
});
