import { describe, expect, it } from "vitest";
import { compileTemplate, templateProblem } from "./template";

describe("webhook record template", () => {
  const context = {
    op: "update",
    key: { id: 7 },
    data: { email: "a@x", traits: { plan: "pro", seats: 3 } },
    idempotencyKey: "k",
    syncId: "s",
    runId: "r",
    batchId: "b",
  };

  it("keeps the type of a whole-string placeholder and interpolates one inside text", () => {
    const render = compileTemplate(
      '{"who": "{{data.email}}", "seats": "{{data.traits.seats}}", "traits": "{{data.traits}}", "label": "{{op}} #{{key.id}} {{data.traits}}", "n": 1, "list": ["{{key.id}}", true]}',
    );
    expect(render(context)).toEqual({
      who: "a@x",
      seats: 3,
      traits: { plan: "pro", seats: 3 },
      label: 'update #7 {"plan":"pro","seats":3}',
      n: 1,
      list: [7, true],
    });
  });

  it("renders a missing value as null (whole) or empty (inside text), and never reads prototypes", () => {
    const render = compileTemplate(
      '{"a": "{{data.nope}}", "b": "x{{data.nope}}y", "c": "{{data.__proto__}}", "d": "{{key.constructor}}"}',
    );
    expect(render(context)).toEqual({ a: null, b: "xy", c: null, d: null });
  });

  it("explains what is wrong with a template", () => {
    expect(templateProblem('{"a": "{{data.email}}"}')).toBeUndefined();
    expect(templateProblem("{")).toMatch(/^the template is not valid JSON/);
    expect(templateProblem('{"a": "{{row.email}}"}')).toBe(
      "{{row.email}} does not start with one of op, key, data, idempotencyKey, syncId, runId, batchId",
    );
  });
});
