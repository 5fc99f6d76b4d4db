"use client";
// The model's SQL in CodeMirror with PostgreSQL highlighting. Loaded in the browser only (CodeMirror measures
// the DOM), with a plain placeholder of the same height while it loads.
import dynamic from "next/dynamic";

export interface SqlEditorProps {
  value: string;
  onChange: (value: string) => void;
  readOnly?: boolean;
  /** Ctrl/Cmd+Enter: run the preview. */
  onRun?: () => void;
  invalid?: boolean;
}

export const SqlEditor = dynamic<SqlEditorProps>(() => import("./sql-editor-impl").then((m) => m.SqlEditorImpl), {
  ssr: false,
  loading: () => <div className="h-[220px] rounded-lg bg-zinc-50 ring-1 ring-zinc-200 ring-inset" aria-hidden />,
});
