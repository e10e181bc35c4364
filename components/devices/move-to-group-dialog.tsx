"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { addToGroup, deviceTreeKeys } from "@/lib/queries/device-tree";
import type { TreeNodeDto } from "@/lib/schemas/device-tree";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { describeError } from "@/components/ui/error-state";
import { useToast } from "@/components/ui/toast";
import { GroupPicker } from "./group-picker";
import { displayName } from "./node-kind";

/** Moves one object from the group it is shown under into another group (the references only). */
export function MoveToGroupDialog({
  node,
  from,
  onClose,
  onMoved,
}: {
  node: TreeNodeDto;
  from: TreeNodeDto;
  onClose: () => void;
  onMoved: () => void;
}) {
  const [target, setTarget] = useState<TreeNodeDto | null>(null);
  const toast = useToast();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: async (to: TreeNodeDto) => {
      const [result] = await addToGroup(to.id, { ids: [node.id], fromGroupId: from.id });
      if (!result?.ok) throw new Error(result?.error ?? "The platform did not answer for this device.");
      return to;
    },
    onSuccess: (to) => {
      toast({ tone: "success", title: `${displayName(node)} moved to ${displayName(to)}` });
      onMoved();
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: deviceTreeKeys.all }),
  });
  return (
    <Dialog
      open
      onClose={() => !mutation.isPending && onClose()}
      title={`Move ${displayName(node)}`}
      description={`It leaves ${displayName(from)} and joins the group you choose. The device itself and its other groups stay as they are.`}
      footer={
        <>
          <Button onClick={onClose} disabled={mutation.isPending}>
            Cancel
          </Button>
          <Button
            variant="primary"
            disabled={!target}
            loading={mutation.isPending}
            onClick={() => target && mutation.mutate(target)}
          >
            {target ? `Move to ${displayName(target)}` : "Move"}
          </Button>
        </>
      }
    >
      <GroupPicker value={target} onChange={setTarget} exclude={from.id} />
      {mutation.isError && (
        <p role="alert" className="mt-2 text-sm font-medium text-red-700 dark:text-red-400">
          {describeError(mutation.error).message}
        </p>
      )}
    </Dialog>
  );
}
