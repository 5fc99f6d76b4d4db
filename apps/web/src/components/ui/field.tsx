import { type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, useId } from "react";
import { cn } from "@/lib/cn";

const CONTROL =
  "block w-full rounded-lg border-0 bg-white px-3 py-2 text-sm text-zinc-900 shadow-sm ring-1 ring-inset placeholder:text-zinc-400 focus:ring-2 focus:ring-inset focus:outline-none disabled:bg-zinc-50 disabled:text-zinc-500";

interface FieldShellProps {
  label: string;
  hint?: ReactNode;
  errors?: string[] | undefined;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}

function FieldShell({ label, hint, errors, children }: FieldShellProps) {
  const id = useId();
  const invalid = Boolean(errors?.length);
  const describedBy = invalid ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium text-zinc-800">
        {label}
      </label>
      {children({ id, describedBy, invalid })}
      {invalid ? (
        <p id={`${id}-error`} className="text-xs text-red-600" data-field-error>
          {errors?.join(" ")}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="text-xs text-zinc-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "id"> {
  label: string;
  hint?: ReactNode;
  errors?: string[] | undefined;
}

export function TextField({ label, hint, errors, className, ...rest }: TextFieldProps) {
  return (
    <FieldShell label={label} hint={hint} errors={errors}>
      {({ id, describedBy, invalid }) => (
        <input
          id={id}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          className={cn(CONTROL, invalid ? "ring-red-400 focus:ring-red-500" : "ring-zinc-300 focus:ring-brand-500", className)}
          {...rest}
        />
      )}
    </FieldShell>
  );
}

export interface SelectFieldProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, "id"> {
  label: string;
  hint?: ReactNode;
  errors?: string[] | undefined;
}

export function SelectField({ label, hint, errors, className, children, ...rest }: SelectFieldProps) {
  return (
    <FieldShell label={label} hint={hint} errors={errors}>
      {({ id, describedBy, invalid }) => (
        <select
          id={id}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          className={cn(CONTROL, "pr-8", invalid ? "ring-red-400" : "ring-zinc-300 focus:ring-brand-500", className)}
          {...rest}
        >
          {children}
        </select>
      )}
    </FieldShell>
  );
}

export function FormAlert({ children }: { children: ReactNode }) {
  return (
    <div role="alert" className="rounded-lg bg-red-50 px-3 py-2.5 text-sm text-red-700 ring-1 ring-inset ring-red-200">
      {children}
    </div>
  );
}
