"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { DeviceDrafts } from "./use-device-drafts";

/** Follows the operator down the page while edits are unsaved: what is pending, discard, or review and save. */
export function UnsavedChangesBar({ drafts, onReview }: { drafts: DeviceDrafts; onReview: () => void }) {
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const keys = Object.keys(drafts.changes);
  if (keys.length === 0) return null;
  const list =
    keys.length <= 4 ? keys.join(", ") : `${keys.slice(0, 3).join(", ")} and ${keys.length - 3} more`;
  return (
    <div
      role="region"
      aria-label="Unsaved changes"
      className="sticky bottom-4 z-20 mt-6 flex flex-wrap items-center justify-between gap-3 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 shadow-lg dark:border-amber-800 dark:bg-amber-950"
    >
      <div className="min-w-0 text-sm text-amber-950 dark:text-amber-100">
        <p className="font-semibold">
          {keys.length} unsaved change{keys.length === 1 ? "" : "s"}:{" "}
          <span className="font-mono font-normal">{list}</span>
        </p>
        {drafts.baseIsStale && (
          <p>The device has changed since you started editing. You will see how before anything is saved.</p>
        )}
      </div>
      <div className="flex gap-2">
        <Button onClick={() => setConfirmDiscard(true)}>Discard…</Button>
        <Button variant="primary" onClick={onReview}>
          Review and save…
        </Button>
      </div>
      <ConfirmDialog
        open={confirmDiscard}
        title={`Discard ${keys.length} unsaved change${keys.length === 1 ? "" : "s"}?`}
        confirmLabel="Discard changes"
        onCancel={() => setConfirmDiscard(false)}
        onConfirm={() => {
          drafts.discardAll();
          setConfirmDiscard(false);
        }}
      >
        Your edits to {list} are dropped. The device keeps its saved values.
      </ConfirmDialog>
    </div>
  );
}
