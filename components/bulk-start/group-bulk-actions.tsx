"use client";

import { useQueryClient } from "@tanstack/react-query";
import { ListChecks } from "lucide-react";
import { useState } from "react";
import { deviceTreeQueries } from "@/lib/queries/device-tree";
import { MAX_SELECTED_DEVICES } from "@/lib/schemas/bulk-create";
import type { TreeNodeDto } from "@/lib/schemas/device-tree";
import { Button } from "@/components/ui/button";
import { describeError } from "@/components/ui/error-state";
import { useToast } from "@/components/ui/toast";
import { displayName } from "@/components/devices/node-kind";
import { BulkStartButton } from "./bulk-start-button";
import { isCheckable } from "./selection";
import type { StartTarget } from "./start-target";

/** Pages of members read at most to select a group's devices: a few more than a selection may hold. */
const MAX_PAGES = 5;

/** A group's bulk actions: run an operation on the whole group, or check its devices in the tree. */
export function GroupBulkActions({
  group,
  onRun,
  onSelect,
}: {
  group: TreeNodeDto;
  onRun: (start: StartTarget) => void;
  onSelect: (nodes: TreeNodeDto[], on: boolean) => void;
}) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [busy, setBusy] = useState(false);

  // The group's direct members that are devices, read page by page as the tree reads them.
  const selectAll = async () => {
    setBusy(true);
    try {
      const found: TreeNodeDto[] = [];
      for (let page = 1; page <= MAX_PAGES && found.length <= MAX_SELECTED_DEVICES; page++) {
        const data = await queryClient.fetchQuery(deviceTreeQueries.childPage(group.id, "assets", page));
        found.push(...data.items.filter(isCheckable));
        if (!data.hasMore) break;
      }
      if (found.length === 0)
        toast({ tone: "info", title: `${displayName(group)} holds no devices directly` });
      onSelect(found, true);
    } catch (error) {
      toast({
        tone: "error",
        title: "The group's devices could not be read",
        description: describeError(error).message,
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <BulkStartButton
        target="group"
        onClick={() => onRun({ kind: "group", groupId: group.id, label: displayName(group) })}
      >
        Run operation on this group
      </BulkStartButton>
      <Button onClick={() => void selectAll()} loading={busy}>
        <ListChecks className="size-4" aria-hidden="true" />
        Select all devices in this group
      </Button>
    </>
  );
}
