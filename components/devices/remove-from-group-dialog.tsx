"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { deviceTreeKeys, removeFromGroup } from "@/lib/queries/device-tree";
import type { TreeNodeDto } from "@/lib/schemas/device-tree";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { describeError } from "@/components/ui/error-state";
import { useToast } from "@/components/ui/toast";
import { displayName } from "./node-kind";

/** Confirms, then takes an object out of a group. Only the membership ends; nothing is deleted. */
export function RemoveFromGroupDialog({
  node,
  from,
  onClose,
  onRemoved,
}: {
  node: TreeNodeDto;
  from: TreeNodeDto;
  onClose: () => void;
  onRemoved: () => void;
}) {
  const toast = useToast();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: () => removeFromGroup(from.id, node.id),
    onSuccess: () => {
      toast({ tone: "success", title: `${displayName(node)} removed from ${displayName(from)}` });
      onRemoved();
    },
    onError: (error) =>
      toast({
        tone: "error",
        title: `Could not remove ${displayName(node)}`,
        description: describeError(error).message,
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: deviceTreeKeys.all }),
  });
  return (
    <ConfirmDialog
      open
      title={`Remove ${displayName(node)} from ${displayName(from)}?`}
      confirmLabel="Remove from group"
      pending={mutation.isPending}
      onCancel={onClose}
      onConfirm={() => mutation.mutate(undefined, { onSettled: onClose })}
    >
      {node.kind === "group"
        ? `The subgroup and everything in it stay in the inventory; it becomes a top-level group unless it is in another group.`
        : `${displayName(node)} stays in the inventory, with its child devices and its other groups. Only its membership in ${displayName(from)} ends.`}
    </ConfirmDialog>
  );
}
