"use client";

import { CheckCheck, ListChecks } from "lucide-react";
import { useMemo, useState } from "react";
import { fetchAllRegistrations } from "@/lib/queries/registrations";
import { usePaletteActions } from "@/components/palette/palette-context";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { describeError } from "@/components/ui/error-state";
import { useToast } from "@/components/ui/toast";

const fmt = (n: number) => n.toLocaleString("en");

/** The bulk accept actions above the table: the selected rows, or every pending request of the tenant. */
export function AcceptToolbar({
  selected,
  pendingTotal,
  busy,
  onAccept,
  onClearSelection,
}: {
  selected: string[];
  pendingTotal: number;
  /** A bulk run is in progress: no second one. */
  busy: boolean;
  onAccept: (ids: string[], label: string) => void;
  onClearSelection: () => void;
}) {
  const toast = useToast();
  const [confirming, setConfirming] = useState(false);
  const [collecting, setCollecting] = useState(false);
  // The same confirmation as the button, from the command palette (docs/command-palette.md).
  usePaletteActions(
    useMemo(
      () =>
        busy || pendingTotal === 0
          ? []
          : [
              {
                id: "registrations.accept-all-pending",
                label: `Accept all pending (${fmt(pendingTotal)})`,
                section: "Registrations",
                keywords: ["accept", "pending", "approve"],
                run: () => setConfirming(true),
              },
            ],
      [busy, pendingTotal],
    ),
  );

  const acceptAll = async () => {
    setCollecting(true);
    try {
      // The count on the tab may be seconds old: accept exactly what is pending now.
      const ids = (await fetchAllRegistrations("PENDING_ACCEPTANCE")).map((r) => r.id);
      setConfirming(false);
      if (ids.length === 0) toast({ title: "Nothing is pending any more" });
      else onAccept(ids, `Accepting all ${fmt(ids.length)} pending devices`);
    } catch (error) {
      toast({
        tone: "error",
        title: "Could not read the pending requests",
        description: describeError(error).message,
      });
    } finally {
      setCollecting(false);
    }
  };

  return (
    <div className="flex flex-wrap items-center gap-2 px-4 py-3">
      <Button
        variant="primary"
        disabled={busy || selected.length === 0}
        onClick={() => onAccept(selected, `Accepting ${fmt(selected.length)} selected devices`)}
      >
        <CheckCheck className="size-4" aria-hidden="true" />
        Accept selected ({fmt(selected.length)})
      </Button>
      <Button disabled={busy || pendingTotal === 0} onClick={() => setConfirming(true)}>
        <ListChecks className="size-4" aria-hidden="true" />
        Accept all pending ({fmt(pendingTotal)})
      </Button>
      {selected.length > 0 && (
        <Button variant="ghost" onClick={onClearSelection}>
          Clear selection
        </Button>
      )}
      <ConfirmDialog
        open={confirming}
        tone="primary"
        title={`Accept all ${fmt(pendingTotal)} pending devices?`}
        confirmLabel="Accept all pending"
        pending={collecting}
        onCancel={() => setConfirming(false)}
        onConfirm={() => void acceptAll()}
      >
        Every device that is waiting for acceptance receives its credentials on its next request. The requests
        are sent in small batches; you can cancel while they run, and see the result for each device.
      </ConfirmDialog>
    </div>
  );
}
