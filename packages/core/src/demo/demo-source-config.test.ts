import { describe, expect, it } from "vitest";
import { demoSourceConfig } from "./demo-source-config";

describe("demoSourceConfig", () => {
  it("splits a URL into the postgres connector's fields, decoding escaped parts", () => {
    expect(demoSourceConfig("postgresql://app%40corp:p%2Fw%3Ad@db.internal:6543/ware%20house?sslmode=require")).toEqual({
      host: "db.internal",
      port: 6543,
      database: "ware house",
      user: "app@corp",
      password: "p/w:d",
      sslMode: "require",
      sluiceSchema: "sluice",
    });
  });

  it("fills libpq's defaults and maps ssl modes node-postgres can honour", () => {
    expect(demoSourceConfig("postgres://localhost/")).toMatchObject({
      port: 5432,
      database: "postgres",
      user: "postgres",
      password: "",
    });
    expect(demoSourceConfig("postgresql://u@h/d").sslMode).toBe("disable");
    expect(demoSourceConfig("postgresql://u@h/d?sslmode=prefer").sslMode).toBe("disable");
    expect(demoSourceConfig("postgresql://u@h/d?sslmode=verify-ca").sslMode).toBe("require");
    expect(demoSourceConfig("postgresql://u@h/d?sslmode=verify-full").sslMode).toBe("verify-full");
    expect(demoSourceConfig("postgresql://u@h/d?host=/var/run/postgresql").host).toBe("/var/run/postgresql");
  });

  it("refuses what is not a postgres URL", () => {
    expect(() => demoSourceConfig("not a url")).toThrow(/not a valid/);
    expect(() => demoSourceConfig("mysql://u@h/d")).toThrow(/postgresql:\/\//);
  });
});
