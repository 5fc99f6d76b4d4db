"use client";
import type { ConnectorField } from "@sluice/connectors/kit/describe-fields";
// A connector's settings form, rendered from its field list: text, number, choice, switch and key/value
// fields; secrets as password inputs that show a saved secret as the mask and replace it once typed over.
import { SECRET_MASK } from "@sluice/contracts/connections";
import { Lock, Plus, X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { cn } from "@/lib/cn";
import type { FieldErrors } from "@/lib/field-errors";
import { type ConfigValues, type FieldValue, fieldLabel, newRow, type RecordRow } from "./config-values";

export interface ConfigFieldsProps {
  fields: ConnectorField[];
  values: ConfigValues;
  onChange: (key: string, value: FieldValue) => void;
  /** Server field errors, keyed `config.<field>`. */
  errors?: FieldErrors;
  disabled?: boolean;
  /** Fields shown folded under `collapsedLabel` (e.g. an alternative way to connect). */
  collapsed?: string[];
  collapsedLabel?: string;
}

export function ConfigFields({ fields, values, onChange, errors, disabled, collapsed = [], collapsedLabel }: ConfigFieldsProps) {
  const main = fields.filter((f) => !collapsed.includes(f.key));
  const folded = fields.filter((f) => collapsed.includes(f.key));
  const foldedHasValue = folded.some((f) => values[f.key] !== "" && values[f.key] !== undefined);
  const errorsOf = (key: string) => {
    const found = Object.entries(errors ?? {})
      .filter(([k]) => k === `config.${key}` || k.startsWith(`config.${key}.`))
      .flatMap(([, v]) => v);
    return found.length > 0 ? found : undefined;
  };
  const foldedHasError = folded.some((f) => errorsOf(f.key));
  const render = (f: ConnectorField) => (
    <div key={f.key} className={f.type === "record" ? "sm:col-span-2" : undefined}>
      <ConfigField
        field={f}
        value={values[f.key]}
        onChange={(v) => onChange(f.key, v)}
        errors={errorsOf(f.key)}
        disabled={disabled}
      />
    </div>
  );
  return (
    <div className="space-y-5">
      <div className="grid gap-x-5 gap-y-4 sm:grid-cols-2">{main.map(render)}</div>
      {folded.length > 0 ? (
        <details className="group rounded-lg ring-1 ring-zinc-200" open={foldedHasValue || foldedHasError}>
          <summary className="cursor-pointer px-4 py-2.5 text-sm font-medium text-zinc-700 select-none hover:text-zinc-900">
            {collapsedLabel ?? "More options"}
          </summary>
          <div className="grid gap-x-5 gap-y-4 border-t border-zinc-100 px-4 py-4 sm:grid-cols-2">{folded.map(render)}</div>
        </details>
      ) : null}
    </div>
  );
}

function ConfigField({
  field: f,
  value,
  onChange,
  errors,
  disabled,
}: {
  field: ConnectorField;
  value: FieldValue | undefined;
  onChange: (value: FieldValue) => void;
  errors: string[] | undefined;
  disabled?: boolean;
}) {
  // Only secrets and key/value lists are marked optional: other fields without `required` are often required
  // in combination (host, database and user unless a connection URL is given), which the server explains.
  const label = `${fieldLabel(f.key)}${!f.required && (f.secret || f.type === "record") ? " (optional)" : ""}`;
  if (f.type === "record") {
    return (
      <RecordField
        field={f}
        label={label}
        rows={Array.isArray(value) ? value : []}
        onChange={onChange}
        errors={errors}
        disabled={disabled}
      />
    );
  }
  if (f.type === "boolean") {
    return (
      <label className="flex items-start gap-2.5 pt-6 text-sm text-zinc-800">
        <input
          type="checkbox"
          className="mt-0.5 size-4 rounded border-zinc-300 text-brand-600"
          checked={value === true}
          disabled={disabled}
          onChange={(e) => onChange(e.target.checked)}
        />
        <span>
          {fieldLabel(f.key)}
          {f.description ? <span className="block text-xs text-zinc-500">{f.description}</span> : null}
        </span>
      </label>
    );
  }
  const text = typeof value === "string" ? value : "";
  if (f.type === "enum") {
    return (
      <SelectField
        label={label}
        hint={f.description}
        errors={errors}
        value={text}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value)}
      >
        {f.required || f.default !== undefined ? null : <option value="">—</option>}
        {(f.options ?? []).map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </SelectField>
    );
  }
  if (f.secret)
    return (
      <SecretInput label={label} hint={f.description} value={text} onChange={onChange} errors={errors} disabled={disabled} />
    );
  return (
    <TextField
      label={label}
      hint={f.description}
      errors={errors}
      value={text}
      disabled={disabled}
      inputMode={f.type === "number" ? "numeric" : undefined}
      placeholder={f.default !== undefined ? String(f.default) : undefined}
      onChange={(e) => onChange(e.target.value)}
      autoComplete="off"
      spellCheck={false}
    />
  );
}

/** A saved secret shows as the mask; focusing it selects the mask so typing replaces it whole. */
function SecretInput({
  label,
  hint,
  value,
  onChange,
  errors,
  disabled,
}: {
  label: string;
  hint?: string;
  value: string;
  onChange: (value: string) => void;
  errors: string[] | undefined;
  disabled?: boolean;
}) {
  const saved = value === SECRET_MASK;
  return (
    <TextField
      label={label}
      type="password"
      autoComplete="new-password"
      value={value}
      disabled={disabled}
      errors={errors}
      data-secret-saved={saved || undefined}
      onFocus={(e) => {
        if (saved) e.currentTarget.select();
      }}
      onChange={(e) => onChange(e.target.value)}
      hint={
        saved ? (
          <span className="inline-flex items-center gap-1">
            <Lock className="size-3" aria-hidden />
            {disabled ? "Saved and encrypted." : "Saved and encrypted. Leave it to keep it, or type a new value to replace it."}
          </span>
        ) : (
          hint
        )
      }
    />
  );
}

function RecordField({
  field: f,
  label,
  rows,
  onChange,
  errors,
  disabled,
}: {
  field: ConnectorField;
  label: string;
  rows: RecordRow[];
  onChange: (rows: RecordRow[]) => void;
  errors: string[] | undefined;
  disabled?: boolean;
}) {
  const update = (id: number, patch: Partial<RecordRow>) => onChange(rows.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  const singular = fieldLabel(f.key).replace(/s$/, "").toLowerCase();
  return (
    <fieldset className="space-y-1.5">
      <legend className="block text-sm font-medium text-zinc-800">{label}</legend>
      {rows.length > 0 ? (
        <ul className="space-y-2">
          {rows.map((r) => (
            <li key={r.id} className="flex items-center gap-2">
              <input
                aria-label={`${fieldLabel(f.key)} name`}
                className={cn(INPUT, "w-56 font-mono")}
                value={r.key}
                placeholder="Name"
                disabled={disabled}
                onChange={(e) => update(r.id, { key: e.target.value })}
              />
              <input
                aria-label={`${fieldLabel(f.key)} value${r.key ? ` for ${r.key}` : ""}`}
                className={cn(INPUT, "min-w-0 flex-1 font-mono")}
                type={f.secret ? "password" : "text"}
                autoComplete={f.secret ? "new-password" : "off"}
                value={r.value}
                placeholder="Value"
                disabled={disabled}
                onFocus={(e) => {
                  if (r.value === SECRET_MASK) e.currentTarget.select();
                }}
                onChange={(e) => update(r.id, { value: e.target.value })}
              />
              {disabled ? null : (
                <button
                  type="button"
                  onClick={() => onChange(rows.filter((x) => x.id !== r.id))}
                  className="rounded-md p-1.5 text-zinc-400 hover:bg-zinc-100 hover:text-zinc-600"
                >
                  <X className="size-4" aria-hidden />
                  <span className="sr-only">Remove {r.key || singular}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      {disabled ? null : (
        <Button variant="secondary" size="sm" onClick={() => onChange([...rows, newRow()])}>
          <Plus className="size-3.5" aria-hidden /> Add {singular}
        </Button>
      )}
      {errors?.length ? (
        <p className="text-xs text-red-600" data-field-error>
          {errors.join(" ")}
        </p>
      ) : f.description ? (
        <p className="text-xs text-zinc-500">
          {sentence(f.description)}
          {f.secret && !disabled && rows.some((r) => r.value === SECRET_MASK)
            ? " Saved values show as dots; leave them to keep them."
            : ""}
        </p>
      ) : null}
    </fieldset>
  );
}

/** Descriptions are phrases; a sentence follows, so end them with a full stop. */
function sentence(text: string): string {
  return /[.!?)]$/.test(text) ? text : `${text}.`;
}

const INPUT =
  "block rounded-lg border-0 bg-white px-3 py-2 text-sm text-zinc-900 shadow-sm ring-1 ring-inset ring-zinc-300 placeholder:text-zinc-400 focus:ring-2 focus:ring-inset focus:ring-brand-500 focus:outline-none disabled:bg-zinc-50";
