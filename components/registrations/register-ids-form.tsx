"use client";

import { Plus } from "lucide-react";
import { useId, useMemo, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Textarea } from "@/components/ui/textarea";
import { IdListProblems } from "./id-list-problems";
import { parseIdList } from "./parse-id-list";
import { useKnownRegistrations } from "./use-known-registrations";

const fmt = (n: number) => n.toLocaleString("en");

/** Register one id or a pasted list; every line is checked (and duplicates flagged) before anything is sent. */
export function RegisterIdsForm({
  busy,
  onRegister,
}: {
  busy: boolean;
  onRegister: (ids: string[]) => void;
}) {
  const fieldId = useId();
  const summaryId = `${fieldId}-summary`;
  const problemsId = `${fieldId}-problems`;
  const [text, setText] = useState("");
  const { known, checking, failed } = useKnownRegistrations(text.trim() !== "");
  const check = useMemo(() => parseIdList(text, known), [text, known]);
  const ready = check.ready.length;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (ready === 0 || busy || checking) return;
    onRegister(check.ready);
    // Invalid lines stay in the box to be fixed; sent ids, repeats and known ones have nothing left to do.
    setText(
      check.problems
        .filter((p) => p.problem?.kind === "invalid")
        .map((p) => p.id)
        .join("\n"),
    );
  };

  const summary =
    check.lines.length === 0
      ? "Nothing entered yet."
      : `${fmt(ready)} ${ready === 1 ? "id" : "ids"} ready to register${check.problems.length ? `, ${fmt(check.problems.length)} skipped` : ""}.` +
        (checking ? " Checking against existing requests…" : "") +
        (failed
          ? " Existing requests could not be checked; the platform will refuse duplicates itself."
          : "");

  return (
    <form onSubmit={submit} className="flex flex-col gap-3" noValidate>
      <Field
        id={fieldId}
        label="Device ids, one per line"
        hint="The device's unique id: serial number, MAC address or IMEI, as the device sends it."
      >
        <Textarea
          id={fieldId}
          value={text}
          onChange={(e) => setText(e.target.value)}
          rows={5}
          spellCheck={false}
          autoComplete="off"
          placeholder={"gw-00A1B2\ngw-00A1B3"}
          aria-describedby={`${fieldId}-hint ${summaryId}${check.problems.length ? ` ${problemsId}` : ""}`}
          aria-invalid={check.problems.length > 0 || undefined}
        />
      </Field>
      <p
        id={summaryId}
        role="status"
        aria-live="polite"
        className="text-sm text-slate-700 dark:text-slate-300"
      >
        {summary}
      </p>
      <IdListProblems id={problemsId} problems={check.problems} />
      <div>
        <Button type="submit" variant="primary" disabled={ready === 0 || busy || checking}>
          <Plus className="size-4" aria-hidden="true" />
          {ready > 1 ? `Register ${fmt(ready)} devices` : "Register device"}
        </Button>
      </div>
    </form>
  );
}
