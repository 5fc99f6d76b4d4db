import { describe, expect, it } from "vitest";
import { describeKey, prettyBody, sendableKey } from "./json-text";

describe("json text", () => {
  it("indents JSON bodies and leaves others as they are", () => {
    expect(prettyBody('{"a":[1,{"b":null}]}')).toEqual({
      text: '{\n  "a": [\n    1,\n    {\n      "b": null\n    }\n  ]\n}',
      json: true,
    });
    expect(prettyBody("Bad Gateway")).toEqual({ text: "Bad Gateway", json: false });
    expect(prettyBody("  ")).toEqual({ text: "", json: false });
  });

  it("describes keys, and keeps only the ones a test send can name", () => {
    expect(describeKey({ id: 1 })).toBe("id = 1");
    expect(describeKey({ account_id: 7, region: "eu" })).toBe('(account_id = 7, region = "eu")');
    expect(describeKey(null)).toBe("");
    expect(sendableKey({ id: 1, region: "eu", ok: true })).toEqual({ id: 1, region: "eu", ok: true });
    expect(sendableKey({ id: null })).toBeNull();
    expect(sendableKey({ id: { nested: 1 } })).toBeNull();
    expect(sendableKey({})).toBeNull();
  });
});
