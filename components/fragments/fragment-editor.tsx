"use client";

import { clsx } from "clsx";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { fragmentValueProblem, isKnownFragment } from "@/lib/fragments/known";
import { formatJson, parseJsonText } from "@/lib/fragments/json-text";
import { KnownFragmentForm, formFits } from "./forms/known-fragment-form";
import { JsonEditor, type JsonEditorProblem } from "./json-editor";

type Mode = "form" | "json";

/** Why the JSON text cannot be applied: a syntax error with its position, or a value of the wrong shape. */
export function jsonTextProblem(name: string, text: string): JsonEditorProblem | null {
  const parsed = parseJsonText(text);
  if (!parsed.ok) return parsed.error;
  const shape = fragmentValueProblem(name, parsed.value);
  if (shape)
    return { message: `${name} ${shape.path ? `(${shape.path})` : ""}: ${shape.message}`.replace(" :", ":") };
  if (parsed.value === null) return { message: "null would remove the fragment: use Remove instead." };
  return null;
}

/**
 * Edits one fragment's value, with its form where the console knows the fragment and as JSON always. Nothing is
 * saved here: Apply hands the value to the page's draft, which is reviewed and saved as a whole.
 */
export function FragmentEditor({
  name,
  initial,
  idBase,
  onApply,
  onCancel,
}: {
  name: string;
  initial: unknown;
  idBase: string;
  onApply: (value: unknown) => void;
  onCancel: () => void;
}) {
  const known = isKnownFragment(name) ? name : null;
  const [mode, setMode] = useState<Mode>(known && formFits(known, initial) ? "form" : "json");
  const [formValue, setFormValue] = useState<unknown>(initial);
  const [formProblem, setFormProblem] = useState<string | null>(null);
  const [text, setText] = useState(() => formatJson(initial));
  const [switchNote, setSwitchNote] = useState<string | null>(null);

  const jsonProblem = mode === "json" ? jsonTextProblem(name, text) : null;
  const shape = mode === "form" ? fragmentValueProblem(name, formValue) : null;
  const problem = mode === "form" ? (formProblem ?? shape?.message ?? null) : jsonProblem?.message;

  const switchTo = (next: Mode) => {
    setSwitchNote(null);
    if (next === mode) return;
    if (next === "json") {
      setText(formatJson(formValue));
      setMode("json");
      return;
    }
    const parsed = parseJsonText(text);
    if (!known || !parsed.ok || !formFits(known, parsed.value)) {
      setSwitchNote("Fix the JSON first: the form needs valid JSON in the fragment's usual shape.");
      return;
    }
    setFormValue(parsed.value);
    setFormProblem(null);
    setMode("form");
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (problem) return;
    if (mode === "form") onApply(formValue);
    else {
      const parsed = parseJsonText(text);
      if (parsed.ok) onApply(parsed.value);
    }
  };

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4" aria-label={`Edit ${name}`}>
      {known && (
        <div
          role="group"
          aria-label="Editor"
          className="inline-flex self-start rounded-md border border-slate-300 p-0.5 dark:border-slate-700"
        >
          {(["form", "json"] as const).map((m) => (
            <button
              key={m}
              type="button"
              aria-pressed={mode === m}
              onClick={() => switchTo(m)}
              className={clsx(
                "rounded px-3 py-1 text-sm font-medium",
                mode === m
                  ? "bg-accent-600 text-white"
                  : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800",
              )}
            >
              {m === "form" ? "Form" : "JSON"}
            </button>
          ))}
        </div>
      )}
      {switchNote && (
        <p role="alert" className="text-sm text-amber-800 dark:text-amber-300">
          {switchNote}
        </p>
      )}
      {mode === "form" && known ? (
        <>
          <KnownFragmentForm
            name={known}
            idBase={idBase}
            value={formValue}
            onChange={(v, p) => {
              setFormValue(v);
              setFormProblem(p);
            }}
          />
          {problem && (
            <p role="alert" className="text-sm font-medium text-red-700 dark:text-red-400">
              {problem}
            </p>
          )}
        </>
      ) : (
        <JsonEditor
          id={`${idBase}-json`}
          label={`${name} as JSON`}
          value={text}
          onChange={setText}
          problem={jsonProblem}
        />
      )}
      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" variant="primary" disabled={Boolean(problem)}>
          Apply
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Nothing is saved until you review and save.
        </p>
      </div>
    </form>
  );
}
