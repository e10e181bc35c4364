"use client";

import type { TreeNodeDto } from "@/lib/schemas/device-tree";
import { AddDevicesDialog } from "./add-devices-dialog";
import { CreateGroupDialog } from "./create-group-dialog";
import { MoveToGroupDialog } from "./move-to-group-dialog";
import type { GroupAction } from "./node-details";
import { RemoveFromGroupDialog } from "./remove-from-group-dialog";

/** The dialog of the group action under way, if any. */
export function GroupActionDialog({
  action,
  onClose,
  onCreated,
  onLeftGroup,
}: {
  action: GroupAction | null;
  onClose: () => void;
  onCreated: (group: TreeNodeDto, parent: TreeNodeDto | null) => void;
  /** The selected object no longer sits under `from` in the tree. */
  onLeftGroup: (from: TreeNodeDto) => void;
}) {
  if (!action) return null;
  switch (action.type) {
    case "create":
      return (
        <CreateGroupDialog
          parent={action.parent}
          onClose={onClose}
          onCreated={(group) => {
            onClose();
            onCreated(group, action.parent);
          }}
        />
      );
    case "add":
      return <AddDevicesDialog group={action.group} onClose={onClose} />;
    case "move":
      return (
        <MoveToGroupDialog
          node={action.node}
          from={action.from}
          onClose={onClose}
          onMoved={() => {
            onClose();
            onLeftGroup(action.from);
          }}
        />
      );
    case "remove":
      return (
        <RemoveFromGroupDialog
          node={action.node}
          from={action.from}
          onClose={onClose}
          onRemoved={() => onLeftGroup(action.from)}
        />
      );
  }
}
