"use client";

import { X } from "lucide-react";
import { MAX_SELECTED_DEVICES } from "@/lib/schemas/bulk-create";
import { Button } from "@/components/ui/button";
import { BulkStartButton } from "./bulk-start-button";
import type { DeviceSelection } from "./use-device-selection";

/** "N selected · Run operation… · Clear", shown while devices are checked in the tree. */
export function SelectionBar({ selection, onRun }: { selection: DeviceSelection; onRun: () => void }) {
  if (selection.size === 0) return null;
  const tooMany = selection.size > MAX_SELECTED_DEVICES;
  return (
    <div
      role="region"
      aria-label="Selected devices"
      className="flex flex-wrap items-center gap-3 border-b border-slate-200 bg-accent-50 px-3 py-2 text-sm dark:border-slate-800 dark:bg-accent-950"
    >
      <span role="status" className="font-medium text-slate-900 tabular-nums dark:text-slate-100">
        {selection.size.toLocaleString("en")} selected
      </span>
      {tooMany ? (
        <span className="text-amber-900 dark:text-amber-200">
          At most {MAX_SELECTED_DEVICES} devices per bulk operation: run it on their group instead.
        </span>
      ) : (
        <BulkStartButton target="selection" size="sm" variant="primary" onClick={onRun}>
          Run operation…
        </BulkStartButton>
      )}
      <Button size="sm" variant="ghost" onClick={selection.clear}>
        <X className="size-4" aria-hidden="true" />
        Clear
      </Button>
    </div>
  );
}
