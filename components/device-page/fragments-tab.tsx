"use client";

import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { AddFragmentForm } from "./add-fragment-form";
import { FragmentRow, type FragmentStatus } from "./fragment-row";
import type { DeviceDrafts } from "./use-device-drafts";

/** Fields of the object that the drafts also carry but that are not fragments. */
const FIELDS = new Set(["name", "type"]);

/** Every fragment of the object, with the operator's unsaved edits shown in place. */
export function FragmentsTab({ drafts, canEdit }: { drafts: DeviceDrafts; canEdit: boolean }) {
  const saved = drafts.base.fragments;
  const added = Object.keys(drafts.changes).filter((k) => !FIELDS.has(k) && !Object.hasOwn(saved, k));
  const names = [...Object.keys(saved), ...added].sort((a, b) =>
    a.localeCompare(b, "en", { sensitivity: "base" }),
  );
  const statusOf = (name: string): FragmentStatus => {
    if (!drafts.isChanged(name)) return null;
    if (drafts.changes[name] === null) return "removed";
    return Object.hasOwn(saved, name) ? "changed" : "added";
  };
  return (
    <Card aria-labelledby="fragments-title">
      <CardHeader
        title="Fragments"
        titleId="fragments-title"
        description={
          canEdit
            ? "Everything stored on the object. Edit known fragments with a form or any fragment as JSON; changes are collected and saved together after a review."
            : "Everything stored on the object. Changing fragments needs the inventory admin role."
        }
      />
      {names.length === 0 ? (
        <CardBody>
          <p className="text-sm text-slate-600 dark:text-slate-400">The object has no fragments yet.</p>
        </CardBody>
      ) : (
        <ul className="divide-y divide-slate-200 dark:divide-slate-800" aria-label="Fragments">
          {names.map((name) => {
            const status = statusOf(name);
            return (
              <FragmentRow
                key={name}
                name={name}
                value={status === "removed" ? saved[name] : drafts.valueOf(name)}
                status={status}
                canEdit={canEdit}
                onApply={(v) => drafts.set(name, v)}
                onRemove={() => drafts.remove(name)}
                onUndo={() => drafts.revert(name)}
              />
            );
          })}
        </ul>
      )}
      {canEdit && (
        <CardBody className="border-t border-slate-200 dark:border-slate-800">
          <AddFragmentForm existing={names} onAdd={(name, value) => drafts.set(name, value)} />
        </CardBody>
      )}
    </Card>
  );
}
