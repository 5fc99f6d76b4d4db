// "Test connection" for a PostgreSQL source: the same things a sync needs, in the order it needs them —
// log in, read the schemas models come from, create and write tables in Sluice's own schema, run a query.
// Each failure names the statement that fixes it (the same statements the setup script in permissions.ts has).
import { randomBytes } from "node:crypto";
import type pg from "pg";
import { CheckFailure, type ConnectionCheck, runSteps } from "../../kit/spec";
import { describeTarget, type PostgresConfig } from "./config";
import { connect } from "./connect";
import { explainPostgresError, type Target } from "./explain-error";
import { quoteIdent } from "./permissions";

const SCHEMA_LIST_LIMIT = 5;

export interface PostgresCheckOptions {
  /** The schemas models will read from; without them every schema the role can use is looked at. */
  schemas?: readonly string[];
}

type Query = (text: string, values?: unknown[]) => Promise<pg.QueryResult>;

export async function testPostgresConnection(
  config: PostgresConfig,
  options: PostgresCheckOptions = {},
): Promise<ConnectionCheck> {
  const target = describeTarget(config);
  const chosen = [...new Set((options.schemas ?? []).map((s) => s.trim()).filter(Boolean))];
  let client: pg.Client | undefined;
  // The role the server says we are (a connection string may not name one).
  let role = target.user;
  const q: Query = (text, values) => {
    if (!client) throw new CheckFailure("Not connected");
    return client.query(text, values);
  };
  try {
    return await runSteps(
      [
        {
          name: "Connect",
          run: async () => {
            client = await connect(config).catch((error: unknown) => {
              throw new CheckFailure(explainLogin(error, target));
            });
            const { rows } = await q("select current_user as role, current_database() as database");
            role = rows[0]?.role ?? role;
            return `Connected to ${target.host}:${target.port}, database "${rows[0]?.database ?? target.database}", as "${role}".`;
          },
        },
        {
          name:
            chosen.length === 0
              ? "Read schemas"
              : `Read ${plural(chosen.length, "schema")} ${chosen.map((s) => `"${s}"`).join(", ")}`,
          run: () =>
            chosen.length === 0 ? readVisibleSchemas(q, role, config.sluiceSchema) : readChosenSchemas(q, role, target, chosen),
        },
        {
          name: `Create and write tables in "${config.sluiceSchema}"`,
          run: () => writeSluiceSchema(q, role, target, config.sluiceSchema),
        },
        {
          name: "Run a query",
          run: async () => {
            const started = performance.now();
            const { rows } = await q("select current_setting('server_version') as version");
            return `PostgreSQL ${rows[0]?.version ?? "?"} answered in ${Math.round(performance.now() - started)} ms.`;
          },
        },
      ],
      (error) => explainPostgresError(error, target),
    );
  } finally {
    await client?.end().catch(() => {});
  }
}

/** Login failures, with the fix in terms of the setup script. */
function explainLogin(error: unknown, t: Target): string {
  const e = error as { code?: string; message?: string };
  const role = quoteIdent(t.user);
  if (e.code === "28P01") {
    return `Password authentication failed for role ${role}. Check the password for role ${role}; if you just created it, run the script's CREATE ROLE step (or reset it: ALTER ROLE ${role} PASSWORD '…';).`;
  }
  if (e.code === "28000" && /role .* does not exist/i.test(e.message ?? "")) {
    return `Role ${role} does not exist on ${t.host}:${t.port}. Check the user name, or run the script's CREATE ROLE step.`;
  }
  if (e.code === "42501") {
    return `Role ${role} may not connect to database ${quoteIdent(t.database)}. Run: GRANT CONNECT ON DATABASE ${quoteIdent(t.database)} TO ${role};`;
  }
  return explainPostgresError(error, t);
}

interface TableAccess {
  name: string;
  readable: boolean;
}

async function tablesOf(q: Query, schemaOid: number): Promise<TableAccess[]> {
  const { rows } = await q(
    `select c.relname as name, has_table_privilege(c.oid, 'SELECT') as readable
     from pg_catalog.pg_class c
     where c.relnamespace = $1 and c.relkind in ('r', 'p', 'v', 'm', 'f') and not c.relispartition
     order by 1`,
    [schemaOid],
  );
  return rows as TableAccess[];
}

/** Every chosen schema exists, is usable, and (unless empty) has a table the role really reads. */
async function readChosenSchemas(q: Query, role: string, t: Target, schemas: string[]): Promise<string> {
  const problems: string[] = [];
  const notes: string[] = [];
  for (const name of schemas) {
    const schema = quoteIdent(name);
    const { rows } = await q(
      "select oid, has_schema_privilege(oid, 'USAGE') as usable from pg_catalog.pg_namespace where nspname = $1",
      [name],
    );
    const found = rows[0] as { oid: number; usable: boolean } | undefined;
    if (!found) {
      problems.push(
        `Schema ${schema} does not exist in database ${quoteIdent(t.database)}. Check its spelling (names are case-sensitive).`,
      );
      continue;
    }
    if (!found.usable) {
      problems.push(
        `Role ${quoteIdent(role)} cannot use schema ${schema}. Run: GRANT USAGE ON SCHEMA ${schema} TO ${quoteIdent(role)};`,
      );
      continue;
    }
    const tables = await tablesOf(q, found.oid);
    const readable = tables.filter((x) => x.readable);
    if (tables.length === 0) {
      notes.push(
        `${schema} has no tables yet (fine: the script's ALTER DEFAULT PRIVILEGES makes tables created later readable).`,
      );
      continue;
    }
    if (readable.length === 0) {
      problems.push(
        `Role ${quoteIdent(role)} cannot read any of the ${plural(tables.length, "table")} in ${schema}. Run: GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${quoteIdent(role)};`,
      );
      continue;
    }
    // The privilege says yes; a real read proves it (row-level security or a broken view would say no).
    const first = readable[0] as TableAccess;
    await q(`select 1 from ${schema}.${quoteIdent(first.name)} limit 1`);
    notes.push(
      readable.length === tables.length
        ? `${schema}: all ${plural(tables.length, "table")} readable.`
        : `${schema}: ${readable.length} of ${plural(tables.length, "table")} readable; for the rest run GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${quoteIdent(role)};`,
    );
  }
  if (problems.length > 0) throw new CheckFailure(problems.join(" "));
  return notes.join(" ");
}

/** No schemas chosen: what the role can see, as a hint of what models could read. */
async function readVisibleSchemas(q: Query, role: string, sluiceSchema: string): Promise<string> {
  const { rows } = await q(
    `select n.nspname as name,
            count(c.oid) filter (where has_table_privilege(c.oid, 'SELECT')) as readable
     from pg_catalog.pg_namespace n
     left join pg_catalog.pg_class c on c.relnamespace = n.oid and c.relkind in ('r', 'p', 'v', 'm', 'f')
     where n.nspname not like 'pg\\_%' and n.nspname <> 'information_schema' and n.nspname <> $1
       and has_schema_privilege(n.oid, 'USAGE')
     group by 1 order by 1`,
    [sluiceSchema],
  );
  const schemas = rows as { name: string; readable: string }[];
  if (schemas.length === 0) {
    throw new CheckFailure(
      `Role ${quoteIdent(role)} cannot use any schema. Run GRANT USAGE ON SCHEMA <schema> TO ${quoteIdent(role)}; for each schema that holds your models.`,
    );
  }
  const readable = schemas.reduce((sum, s) => sum + Number(s.readable), 0);
  const names = schemas.map((s) => `"${s.name}"`);
  const shown = names.slice(0, SCHEMA_LIST_LIMIT).join(", ") + (names.length > SCHEMA_LIST_LIMIT ? ", …" : "");
  return `${plural(schemas.length, "schema")} visible (${shown}), ${plural(readable, "table")} readable.${
    readable === 0
      ? ` Grant SELECT on the tables your models read, e.g. GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${quoteIdent(role)};`
      : ""
  }`;
}

/**
 * Sluice's schema exists (or the role may create it), and the role can create, fill and drop a table in it.
 * The scratch table lives in a transaction that is rolled back, so nothing is left behind even on failure.
 */
async function writeSluiceSchema(q: Query, role: string, t: Target, name: string): Promise<string> {
  const schema = quoteIdent(name);
  const r = quoteIdent(role);
  const { rows } = await q(
    `select pg_catalog.pg_get_userbyid(nspowner) as owner,
            has_schema_privilege(oid, 'USAGE') as usable, has_schema_privilege(oid, 'CREATE') as creatable
     from pg_catalog.pg_namespace where nspname = $1`,
    [name],
  );
  const found = rows[0] as { owner: string; usable: boolean; creatable: boolean } | undefined;
  let created = false;
  if (!found) {
    const { rows: db } = await q("select has_database_privilege(current_database(), 'CREATE') as can");
    if (!db[0]?.can) {
      throw new CheckFailure(
        `Schema ${schema} does not exist and role ${r} may not create it. Run the script's step: CREATE SCHEMA ${schema} AUTHORIZATION ${r}; (or GRANT CREATE ON DATABASE ${quoteIdent(t.database)} TO ${r}; to let Sluice create it).`,
      );
    }
    await q(`create schema if not exists ${schema}`);
    created = true;
  } else if (!found.usable || !found.creatable) {
    throw new CheckFailure(
      `Role ${r} cannot create tables in schema ${schema} (owned by ${quoteIdent(found.owner)}). Run: GRANT USAGE, CREATE ON SCHEMA ${schema} TO ${r};`,
    );
  }
  const probe = `${schema}.${quoteIdent(`_sluice_probe_${randomBytes(4).toString("hex")}`)}`;
  await q("begin");
  try {
    await q(`create table ${probe} (id int primary key, hash text not null)`);
    await q(`insert into ${probe} (id, hash) values (1, md5('sluice'))`);
    await q(`update ${probe} set hash = md5('sluice again') where id = 1`);
    await q(`drop table ${probe}`);
  } catch (error) {
    const e = error as { code?: string };
    if (e.code === "25006") {
      throw new CheckFailure(
        `The server is read-only (a standby replica?). Point Sluice at the primary: it writes snapshots and diffs to ${schema}.`,
      );
    }
    if (e.code === "42501") {
      throw new CheckFailure(
        `Role ${r} may not write in schema ${schema}. Run: GRANT USAGE, CREATE ON SCHEMA ${schema} TO ${r};`,
      );
    }
    throw error;
  } finally {
    await q("rollback").catch(() => {});
  }
  return `${created ? `Created schema ${schema}, then created` : "Created"} a scratch table in ${schema}, wrote, updated and dropped it (rolled back: nothing left behind).`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
