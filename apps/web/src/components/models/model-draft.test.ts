import { describe, expect, it } from "vitest";
import {
  formatCell,
  formatElapsed,
  guessPrimaryKey,
  missingKeyColumns,
  nameFromTable,
  quoteIdentifier,
  tableQuery,
  togglePrimaryKey,
} from "./model-draft";

describe("model editor rules", () => {
  it("quotes a picked table, doubling quotes inside names", () => {
    expect(tableQuery("demo", "customers")).toBe('select * from "demo"."customers"');
    expect(tableQuery("Sales Data", 'odd"name')).toBe('select * from "Sales Data"."odd""name"');
    expect(quoteIdentifier("")).toBe('""');
  });

  it("builds composite keys in the order picked, and finds key columns the SQL lost", () => {
    expect(togglePrimaryKey([], "id")).toEqual(["id"]);
    expect(togglePrimaryKey(["account_id"], "id")).toEqual(["account_id", "id"]);
    expect(togglePrimaryKey(["account_id", "id"], "account_id")).toEqual(["id"]);
    expect(missingKeyColumns(["id", "region"], [{ name: "id" }, { name: "email" }])).toEqual(["region"]);
    expect(guessPrimaryKey([{ name: "email" }, { name: "ID" }])).toEqual(["ID"]);
    expect(guessPrimaryKey([{ name: "customer_id" }])).toEqual([]);
  });

  it("shows cells by kind and durations in readable units", () => {
    expect(formatCell(null)).toEqual({ text: "null", kind: "null" });
    expect(formatCell(12.5)).toEqual({ text: "12.5", kind: "number" });
    expect(formatCell(false)).toEqual({ text: "false", kind: "boolean" });
    expect(formatCell({ a: [1] })).toEqual({ text: '{"a":[1]}', kind: "json" });
    expect(formatCell("2024-01-02T03:04:05.000Z")).toEqual({ text: "2024-01-02T03:04:05.000Z", kind: "text" });
    expect(formatElapsed(84.4)).toBe("84 ms");
    expect(formatElapsed(1_234)).toBe("1.2 s");
    expect(formatElapsed(12_600)).toBe("13 s");
    expect(nameFromTable("customer_orders")).toBe("Customer orders");
  });
});
