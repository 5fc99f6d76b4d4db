// The primary key check against a real warehouse: counts of nulls and duplicates, the rows a run would
// reject, and a sentence that says so.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Warehouse } from "../runs/testing/fixtures";
import { createSource } from "../sources/create-source";
import { asRole, errorCode, testServices, workspaceWithRole } from "../testing/fixtures";
import { checkModelKey, explainKeyCheck } from "./check-model-key";

const s = testServices();
let warehouse: Warehouse;

beforeAll(async () => {
  warehouse = await Warehouse.create("check_key");
  await warehouse.sql(`
    create table public.users (id int, org text, email text);
    insert into public.users values (1, 'a', 'x'), (1, 'b', 'y'), (1, 'a', 'z'), (2, 'a', 'w'), (2, 'b', 'v'), (3, 'a', 'u'),
      (null, 'a', 't');
  `);
});
afterAll(async () => {
  await warehouse.close();
});

async function setup() {
  const ctx = await workspaceWithRole(s, "admin");
  const source = await createSource(ctx, {
    name: "W",
    type: "postgres",
    config: { connectionString: warehouse.url, sslMode: "disable" },
  });
  return { ctx, sourceId: source.id };
}

describe("checkModelKey", () => {
  it("counts null and duplicated keys and says how many rows would be rejected", async () => {
    const { ctx, sourceId } = await setup();
    const check = await checkModelKey(ctx, { sourceId, query: "select * from public.users", primaryKey: ["id"] });
    expect(check).toMatchObject({ rows: 7, nullKeys: 1, duplicateKeys: 2, duplicateRows: 5, rejectedRows: 6, ok: false });
    expect(check.examples).toEqual([{ id: 1 }, { id: 2 }]);
    expect(check.message).toBe(
      "2 key values are shared by 5 rows, e.g. id=1, id=2; 1 row has a null id — these rows would be rejected (6 of 7 rows).",
    );
  });

  it("passes a key that identifies every row", async () => {
    const { ctx, sourceId } = await setup();
    const check = await checkModelKey(ctx, {
      sourceId,
      query: "select * from public.users where id is not null",
      primaryKey: ["id", "org"],
    });
    expect(check).toMatchObject({ rows: 6, ok: false, duplicateKeys: 1, duplicateRows: 2, examples: [{ id: 1, org: "a" }] });
    expect(check.message).toBe(
      "1 key value is shared by 2 rows, e.g. (id=1, org=a) — these rows would be rejected (2 of 6 rows).",
    );
    const good = await checkModelKey(ctx, { sourceId, query: "select * from public.users", primaryKey: ["email"] });
    expect(good).toMatchObject({ ok: true, rejectedRows: 0, message: "All 7 rows have a unique, non-null email." });
  });

  it("names a key column the model lacks, and bad SQL, as field errors", async () => {
    const { ctx, sourceId } = await setup();
    const missing = await checkModelKey(ctx, { sourceId, query: "select id from public.users", primaryKey: ["user_id"] }).catch(
      (e) => e,
    );
    expect(missing.code).toBe("BAD_REQUEST");
    expect(missing.fieldErrors.primaryKey).toEqual(['The model has no column "user_id" (it has "id").']);
    const bad = await checkModelKey(ctx, { sourceId, query: "select id from nowhere", primaryKey: ["id"] }).catch((e) => e);
    expect(bad.code).toBe("BAD_REQUEST");
    expect(bad.fieldErrors.query[0]).toMatch(/^Model SQL is invalid: relation "nowhere" does not exist/);
  });

  it("is for editors and above, in this workspace", async () => {
    const { ctx, sourceId } = await setup();
    const input = { sourceId, query: "select * from public.users", primaryKey: ["id"] };
    expect(await errorCode(checkModelKey(await asRole(ctx, "viewer"), input))).toBe("FORBIDDEN");
    expect((await checkModelKey(await asRole(ctx, "editor"), input)).rows).toBe(7);
    expect(await errorCode(checkModelKey(await workspaceWithRole(s, "owner"), input))).toBe("NOT_FOUND");
  });
});

describe("explainKeyCheck", () => {
  const base = { rows: 0, nullKeys: 0, duplicateKeys: 0, duplicateRows: 0, examples: [], elapsedMs: 1 };

  it("speaks plainly about empty models, composite keys and odd values", () => {
    expect(explainKeyCheck(base, ["id"]).message).toBe("The model returned no rows, so there is nothing to check yet.");
    expect(explainKeyCheck({ ...base, rows: 1 }, ["id"]).message).toBe("The model's one row has a non-null id.");
    const composite = explainKeyCheck({ ...base, rows: 1_200, nullKeys: 3 }, ["org_id", "user_id"]);
    expect(composite.message).toBe("3 rows have a null in org_id or user_id — these rows would be rejected (3 of 1,200 rows).");
    const odd = explainKeyCheck({ ...base, rows: 4, duplicateKeys: 1, duplicateRows: 2, examples: [{ email: "a b@x" }] }, [
      "email",
    ]);
    expect(odd.message).toBe('1 key value is shared by 2 rows, e.g. email="a b@x" — these rows would be rejected (2 of 4 rows).');
  });
});
