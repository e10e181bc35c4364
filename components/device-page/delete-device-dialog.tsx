"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Dialog } from "@/components/ui/dialog";
import { describeError } from "@/components/ui/error-state";
import { deleteDevice, deviceKeys, deviceQueries } from "@/lib/queries/device";
import { deviceTreeKeys } from "@/lib/queries/device-tree";
import type { DeleteDeviceOptions } from "@/lib/schemas/device";

export interface DeleteTarget {
  id: string;
  name: string | null;
  owner: string | null;
  isDevice: boolean;
  isGroup: boolean;
  /** Known on the device's own page: said next to the cascade options. */
  childCounts?: { devices: number; assets: number };
}

type Flag = keyof DeleteDeviceOptions;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

const OPTIONS: { flag: Flag; label: string; hint: (t: DeleteTarget) => string }[] = [
  {
    flag: "cascade",
    label: "Also delete its child devices and assets (cascade)",
    hint: (t) =>
      `${t.childCounts ? `It has ${plural(t.childCounts.devices, "child device")} and ${plural(t.childCounts.assets, "child asset")}. ` : ""}Without cascade they stay in the inventory and only lose this parent.`,
  },
  {
    flag: "forceCascade",
    label: "Delete everything below it, whatever its type (force cascade)",
    hint: () => "Also objects that are neither devices nor groups. Wins over cascade.",
  },
  {
    flag: "withDeviceUser",
    label: "Also delete its device user",
    hint: (t) =>
      t.owner?.startsWith("device_")
        ? `${t.owner} can then no longer sign in: the device must be registered again to reconnect. Without it, a running device may sign in and create itself anew.`
        : "Only a generated device user (device_…) is deleted; this object is owned by someone else.",
  },
];

/**
 * Deleting a device says what goes with it (docs/startup-phase.md, step 5: its measurements, alarms, events, operations and
 * registration) and offers the platform's cascade options (docs/platform-api.md §4.7) before anything happens.
 */
export function DeleteDeviceDialog({
  target,
  onClose,
  onDeleted,
}: {
  target: DeleteTarget;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const [flags, setFlags] = useState<DeleteDeviceOptions>({});
  const cancelRef = useRef<HTMLButtonElement>(null);
  const baseId = useId();
  const queryClient = useQueryClient();
  const ids = useQuery(deviceQueries.identity(target.id));
  const label = target.name ? `“${target.name}” (${target.id})` : `object ${target.id}`;
  const remove = useMutation({
    mutationFn: () => deleteDevice(target.id, flags),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: deviceKeys.one(target.id) });
      void queryClient.invalidateQueries({ queryKey: deviceKeys.all });
      void queryClient.invalidateQueries({ queryKey: deviceTreeKeys.all });
      onDeleted();
    },
  });
  const registration =
    ids.data && ids.data.items.length > 0
      ? `its registration (${ids.data.items.map((e) => `${e.type} ${e.externalId}`).join(", ")})`
      : "its registration (external ids)";
  return (
    <Dialog
      open
      role="alertdialog"
      onClose={() => !remove.isPending && onClose()}
      title={`Delete ${target.isDevice ? "device" : target.isGroup ? "group" : "object"} ${label}?`}
      initialFocus={cancelRef}
      description={
        <>
          This removes it from the inventory together with its measurements, alarms, events, operations and{" "}
          {registration}. It cannot be undone. The platform may remove the associated data a little later.
        </>
      }
      footer={
        <>
          <Button ref={cancelRef} onClick={onClose} disabled={remove.isPending}>
            Cancel
          </Button>
          <Button variant="danger" loading={remove.isPending} onClick={() => remove.mutate()}>
            Delete {target.isDevice ? "device" : "object"}
          </Button>
        </>
      }
    >
      <fieldset className="flex flex-col gap-3">
        <legend className="mb-1 text-sm font-medium text-slate-800 dark:text-slate-200">Options</legend>
        {OPTIONS.map((o) => {
          const id = `${baseId}-${o.flag}`;
          return (
            <div key={o.flag} className="flex items-start gap-2">
              <Checkbox
                id={id}
                className="mt-0.5"
                checked={Boolean(flags[o.flag])}
                onChange={(e) => setFlags((f) => ({ ...f, [o.flag]: e.target.checked }))}
                aria-describedby={`${id}-hint`}
              />
              <div>
                <label htmlFor={id} className="text-sm font-medium text-slate-900 dark:text-slate-100">
                  {o.label}
                </label>
                <p id={`${id}-hint`} className="text-sm text-slate-600 dark:text-slate-400">
                  {o.hint(target)}
                </p>
              </div>
            </div>
          );
        })}
      </fieldset>
      {remove.isError && (
        <p role="alert" className="mt-3 text-sm font-medium text-red-700 dark:text-red-400">
          Not deleted: {describeError(remove.error).message}
        </p>
      )}
    </Dialog>
  );
}
