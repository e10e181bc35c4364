"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Fragment, useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { describeError } from "@/components/ui/error-state";
import { useToast } from "@/components/ui/toast";
import { FragmentDiff } from "@/components/fragments/fragment-diff";
import { BffError } from "@/lib/queries/api-client";
import { deviceKeys, fetchDevice, saveDeviceChanges } from "@/lib/queries/device";
import { deviceTreeKeys } from "@/lib/queries/device-tree";
import type { DeviceDto } from "@/lib/schemas/device";
import { ConflictView } from "./conflict-view";
import type { DeviceDrafts } from "./use-device-drafts";

/**
 * Review before saving: exactly which fragments change and how. Saving sends only those, against the version the
 * operator edited; if the object moved on meanwhile the platform is not touched and the conflict is shown
 * instead, with the choice to drop the edits, keep editing on the new version, or write them over it.
 */
export function SaveChangesDialog({
  drafts,
  latest,
  onClose,
}: {
  drafts: DeviceDrafts;
  latest: DeviceDto;
  onClose: () => void;
}) {
  const id = drafts.base.id;
  const queryClient = useQueryClient();
  const toast = useToast();
  // A newer version already seen by the page is a conflict before anything is sent.
  const [current, setCurrent] = useState<DeviceDto | null>(drafts.baseIsStale ? latest : null);
  const [error, setError] = useState<string | null>(null);
  const keepEditingRef = useRef<HTMLButtonElement>(null);
  // Whether the conflict's choices have been on screen (from the start, when the page already knew).
  const conflictShown = useRef(current !== null);

  const save = useMutation({
    mutationFn: (against: DeviceDto) =>
      saveDeviceChanges(id, {
        expectedLastUpdated: against.lastUpdated,
        changes: drafts.changesAgainst(against),
      }),
    onSuccess: (device) => {
      queryClient.setQueryData(deviceKeys.detail(id), device);
      void queryClient.invalidateQueries({ queryKey: deviceTreeKeys.all });
      drafts.discardAll();
      toast({ tone: "success", title: "Changes saved", description: "The platform holds the new values." });
      onClose();
    },
    onError: async (err) => {
      let shown: unknown = err;
      if (err instanceof BffError && err.code === "conflict") {
        // The error envelope carries no object; read the current version to show what changed.
        try {
          const now = await fetchDevice(id);
          queryClient.setQueryData(deviceKeys.detail(id), now);
          setCurrent(now);
          setError(null);
          return;
        } catch (readErr) {
          shown = readErr;
        }
      }
      setError(describeError(shown).message);
    },
  });

  // A conflict found at save replaces the review: the button that had focus is gone (disabled while saving, then
  // unmounted), so focus goes to the least drastic choice instead of falling out of the dialog.
  useEffect(() => {
    if (!current || conflictShown.current) return;
    conflictShown.current = true;
    keepEditingRef.current?.focus();
  }, [current]);

  const keepEditing = () => {
    if (current) drafts.rebase(current);
    onClose();
  };
  const discard = () => {
    drafts.discardAll();
    onClose();
  };
  const count = drafts.diff.length;
  const title = current
    ? "The device changed while you were editing"
    : `Save ${count} change${count === 1 ? "" : "s"}?`;

  return (
    <Dialog
      open
      size="lg"
      onClose={() => !save.isPending && onClose()}
      title={title}
      description={
        current
          ? undefined
          : "Only these fragments are sent; everything else on the device stays as it is. A removed fragment is deleted from the device."
      }
      footer={
        // Keyed: the conflict's choices are new buttons, never the review's buttons relabelled. Reused, the pressed
        // "Save changes" became "Keep editing" under the pointer and faded from the primary colours to its own
        // (transition-colors), with unreadable text midway.
        current ? (
          <Fragment key="conflict">
            <Button onClick={discard} disabled={save.isPending}>
              Discard my changes
            </Button>
            <Button ref={keepEditingRef} onClick={keepEditing} disabled={save.isPending}>
              Keep editing
            </Button>
            <Button variant="danger" loading={save.isPending} onClick={() => save.mutate(current)}>
              Overwrite with my changes
            </Button>
          </Fragment>
        ) : (
          <Fragment key="review">
            <Button onClick={onClose} disabled={save.isPending}>
              Back to editing
            </Button>
            <Button variant="primary" loading={save.isPending} onClick={() => save.mutate(drafts.base)}>
              Save changes
            </Button>
          </Fragment>
        )
      }
    >
      <div className="flex max-h-[60vh] flex-col gap-4 overflow-y-auto" tabIndex={0}>
        {error && (
          <p
            role="alert"
            className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
          >
            Not saved: {error}
          </p>
        )}
        {current ? (
          <ConflictView base={drafts.base} current={current} changes={drafts.changesAgainst(current)} />
        ) : (
          <FragmentDiff label="Changes to save" changes={drafts.diff} />
        )}
      </div>
    </Dialog>
  );
}
