"use client";
// Step 2 of the Postgres source wizard: the least-privileged role as a script, generated live from the
// role name, database, schemas to read and Sluice's schema, each statement with the reason it is there.
import {
  PASSWORD_PLACEHOLDER,
  PostgresGrantInput,
  postgresGrantScript,
  postgresGrantStatements,
} from "@sluice/connectors/warehouses/postgres/permissions";
import { ShieldCheck } from "lucide-react";
import { TextField } from "@/components/ui/field";
import { cn } from "@/lib/cn";
import { fieldErrorsFromZod } from "@/lib/field-errors";
import { splitList } from "./config-values";
import { CopyButton } from "./copy-button";

export interface GrantInputs {
  role: string;
  database: string;
  /** Comma-separated, as typed. */
  schemas: string;
  sluiceSchema: string;
  createdBy: "script" | "sluice";
}

export const DEFAULT_GRANT_INPUTS: GrantInputs = {
  role: "sluice",
  database: "",
  schemas: "public",
  sluiceSchema: "sluice",
  createdBy: "script",
};

export function PostgresGrantGuide({ inputs, onChange }: { inputs: GrantInputs; onChange: (next: GrantInputs) => void }) {
  const parsed = PostgresGrantInput.safeParse({
    role: inputs.role,
    database: inputs.database,
    schemas: splitList(inputs.schemas),
    sluiceSchema: inputs.sluiceSchema,
    sluiceSchemaCreatedBy: inputs.createdBy,
  });
  // The database has no default: its error waits until something is typed there.
  const errors = parsed.success ? {} : fieldErrorsFromZod(parsed.error);
  const set = (patch: Partial<GrantInputs>) => onChange({ ...inputs, ...patch });
  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,22rem)_minmax(0,1fr)]">
      <div className="space-y-4">
        <TextField
          label="Role name"
          value={inputs.role}
          onChange={(e) => set({ role: e.target.value })}
          errors={errors.role}
          hint="The login Sluice will use. A role of its own keeps its access easy to see and to revoke."
          spellCheck={false}
        />
        <TextField
          label="Database"
          value={inputs.database}
          onChange={(e) => set({ database: e.target.value })}
          errors={inputs.database ? errors.database : undefined}
          placeholder="analytics"
          hint="The database your models' tables are in."
          spellCheck={false}
        />
        <TextField
          label="Schemas to read"
          value={inputs.schemas}
          onChange={(e) => set({ schemas: e.target.value })}
          errors={errors.schemas ?? Object.entries(errors).find(([k]) => k.startsWith("schemas."))?.[1]}
          hint="Comma-separated, exactly as named in the database (names are case-sensitive)."
          spellCheck={false}
        />
        <TextField
          label="Sluice's schema"
          value={inputs.sluiceSchema}
          onChange={(e) => set({ sluiceSchema: e.target.value })}
          errors={errors.sluiceSchema}
          hint="Where Sluice keeps snapshots and diffs. It writes nowhere else."
          spellCheck={false}
        />
        <fieldset>
          <legend className="text-sm font-medium text-zinc-800">Who creates Sluice's schema</legend>
          <div className="mt-2 space-y-2">
            <Choice
              checked={inputs.createdBy === "script"}
              onSelect={() => set({ createdBy: "script" })}
              title="This script (recommended)"
              text="CREATE SCHEMA … AUTHORIZATION the role: it may create tables there and nowhere else."
            />
            <Choice
              checked={inputs.createdBy === "sluice"}
              onSelect={() => set({ createdBy: "sluice" })}
              title="Sluice, on first connect"
              text="GRANT CREATE on the database: simpler, but the role could create other schemas too."
            />
          </div>
        </fieldset>
      </div>

      <div className="min-w-0">
        <div className="overflow-hidden rounded-xl bg-zinc-900 ring-1 ring-zinc-800">
          <div className="flex items-center justify-between gap-3 border-b border-zinc-800 px-4 py-2.5">
            <p className="flex items-center gap-2 text-xs font-medium text-zinc-300">
              <ShieldCheck className="size-4 text-emerald-400" aria-hidden /> Setup script · run as a superuser or the database
              owner
            </p>
            {parsed.success ? <CopyButton text={postgresGrantScript(parsed.data)} label="Copy script" /> : null}
          </div>
          {parsed.success ? (
            <pre
              data-testid="grant-script"
              className="overflow-x-auto px-4 py-3 font-mono text-xs leading-5 whitespace-pre-wrap text-zinc-100"
            >
              {postgresGrantScript(parsed.data)
                .split("\n")
                .map((line, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: lines of a fixed text, never reordered
                  <span key={i} className={cn("block", line.startsWith("--") && "text-zinc-400")}>
                    {line || " "}
                  </span>
                ))}
            </pre>
          ) : (
            <p className="px-4 py-10 text-center text-sm text-zinc-400">
              {inputs.database.trim() === ""
                ? "Enter the database name to generate the script."
                : "Fix the fields on the left to generate the script."}
            </p>
          )}
        </div>
        {parsed.success ? (
          <p className="mt-3 text-xs leading-5 text-zinc-500">
            {postgresGrantStatements(parsed.data).length} statements. Replace{" "}
            <code className="font-mono">{PASSWORD_PLACEHOLDER}</code> with a strong password and enter the same one on the next
            step. Run it in <code className="font-mono">psql -d {inputs.database.trim()}</code> or your SQL editor, connected to
            that database.
          </p>
        ) : null}
      </div>
    </div>
  );
}

function Choice({ checked, onSelect, title, text }: { checked: boolean; onSelect: () => void; title: string; text: string }) {
  return (
    <label
      className={cn(
        "flex cursor-pointer gap-2.5 rounded-lg px-3 py-2.5 ring-1 ring-inset",
        checked ? "bg-brand-50/60 ring-brand-300" : "ring-zinc-200 hover:bg-zinc-50",
      )}
    >
      <input type="radio" name="sluice-schema-created-by" className="mt-0.5" checked={checked} onChange={onSelect} />
      <span>
        <span className="block text-sm font-medium text-zinc-900">{title}</span>
        <span className="block text-xs text-zinc-500">{text}</span>
      </span>
    </label>
  );
}
