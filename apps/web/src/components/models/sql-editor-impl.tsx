"use client";
import { PostgreSQL, sql } from "@codemirror/lang-sql";
import CodeMirror, { EditorView, keymap } from "@uiw/react-codemirror";
import { useMemo, useRef } from "react";
import { cn } from "@/lib/cn";
import type { SqlEditorProps } from "./sql-editor";

const THEME = EditorView.theme({
  "&": { fontSize: "13px", backgroundColor: "white" },
  ".cm-content": { fontFamily: "var(--font-mono)", padding: "10px 0" },
  ".cm-gutters": { backgroundColor: "rgb(250 250 250)", borderRight: "1px solid rgb(228 228 231)", color: "rgb(161 161 170)" },
  "&.cm-focused": { outline: "none" },
});

export function SqlEditorImpl({ value, onChange, readOnly, onRun, invalid }: SqlEditorProps) {
  // The keymap is built once; the latest onRun is read through a ref.
  const run = useRef(onRun);
  run.current = onRun;
  const extensions = useMemo(
    () => [
      sql({ dialect: PostgreSQL }),
      THEME,
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({ "aria-label": "Model SQL" }),
      keymap.of([
        {
          key: "Mod-Enter",
          run: () => {
            run.current?.();
            return true;
          },
        },
      ]),
    ],
    [],
  );
  return (
    <div
      className={cn(
        // A border, not an inset ring: the editor's own background would paint over an inset shadow.
        "overflow-hidden rounded-lg border focus-within:ring-2",
        invalid ? "border-red-400 focus-within:ring-red-200" : "border-zinc-300 focus-within:ring-brand-200",
      )}
      data-testid="sql-editor"
    >
      <CodeMirror
        value={value}
        onChange={onChange}
        extensions={extensions}
        editable={!readOnly}
        readOnly={readOnly}
        minHeight="220px"
        maxHeight="460px"
        basicSetup={{
          foldGutter: false,
          highlightActiveLine: !readOnly,
          highlightActiveLineGutter: !readOnly,
          autocompletion: true,
        }}
      />
    </div>
  );
}
