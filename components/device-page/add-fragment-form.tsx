"use client";

import { Plus } from "lucide-react";
import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { describedBy, Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { emptyKnownValue } from "@/components/fragments/forms/known-fragment-form";
import { FragmentEditor } from "@/components/fragments/fragment-editor";
import { KNOWN_FRAGMENT_SCHEMAS, isKnownFragment, newFragmentNameProblem } from "@/lib/fragments/known";

/** Adds a fragment in two steps: a name (checked), then its value with the form or as JSON. */
export function AddFragmentForm({
  existing,
  onAdd,
}: {
  existing: readonly string[];
  onAdd: (name: string, value: unknown) => void;
}) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [chosen, setChosen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const hint =
    "Letters, digits, “_” and “-”; a prefix such as acme_ keeps it apart from the platform's fragments.";
  const suggestions = Object.keys(KNOWN_FRAGMENT_SCHEMAS).filter((k) => !existing.includes(k));

  const close = () => {
    setOpen(false);
    setName("");
    setChosen(null);
    setError(null);
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    const problem = newFragmentNameProblem(trimmed, existing);
    if (problem) return setError(problem);
    setChosen(trimmed);
  };

  if (!open)
    return (
      <Button onClick={() => setOpen(true)}>
        <Plus className="size-4" aria-hidden="true" />
        Add fragment
      </Button>
    );
  if (chosen)
    return (
      <section aria-label={`New fragment ${chosen}`} className="flex flex-col gap-3">
        <h3 className="text-sm font-semibold text-slate-900 dark:text-slate-100">
          New fragment <code className="font-mono">{chosen}</code>
        </h3>
        <FragmentEditor
          name={chosen}
          idBase={`${id}-new`}
          initial={isKnownFragment(chosen) ? emptyKnownValue(chosen) : {}}
          onCancel={close}
          onApply={(value) => {
            onAdd(chosen, value);
            close();
          }}
        />
      </section>
    );
  return (
    <form onSubmit={onSubmit} noValidate className="flex max-w-xl flex-col gap-3" aria-label="Add fragment">
      <Field id={id} label="Fragment name" hint={hint} error={error}>
        <Input
          id={id}
          value={name}
          list={`${id}-known`}
          autoFocus
          onChange={(e) => {
            setName(e.target.value);
            setError(null);
          }}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, { hint, error })}
          className="font-mono"
          spellCheck={false}
          autoComplete="off"
        />
      </Field>
      <datalist id={`${id}-known`}>
        {suggestions.map((k) => (
          <option key={k} value={k} />
        ))}
      </datalist>
      <div className="flex gap-2">
        <Button type="submit" variant="primary">
          Next
        </Button>
        <Button onClick={close}>Cancel</Button>
      </div>
    </form>
  );
}
