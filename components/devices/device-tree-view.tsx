"use client";

import { useQueryClient } from "@tanstack/react-query";
import { FolderPlus, Network } from "lucide-react";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { deviceTreeQueries } from "@/lib/queries/device-tree";
import type { TreeNodeDto } from "@/lib/schemas/device-tree";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState, describeError } from "@/components/ui/error-state";
import { useToast } from "@/components/ui/toast";
import { BulkStartDialog } from "@/components/bulk-start/bulk-start-dialog";
import { GroupBulkActions } from "@/components/bulk-start/group-bulk-actions";
import { SearchRunButton } from "@/components/bulk-start/search-run-button";
import { SelectionBar } from "@/components/bulk-start/selection-bar";
import type { StartTarget } from "@/components/bulk-start/start-target";
import { useDeviceSelection } from "@/components/bulk-start/use-device-selection";
import { DeviceSearch } from "./device-search";
import { DeviceTree } from "./device-tree";
import { flattenTree, type NodeRow } from "./flatten-tree";
import { GroupActionDialog } from "./group-action-dialog";
import { NodeDetails, type GroupAction } from "./node-details";
import { TreeKeyHints } from "./tree-key-hints";
import { ancestorKeys, keyOf, lastIdOf, parentKeyOf } from "./tree-paths";
import { useTreeData } from "./use-tree-data";
import { useTreeState } from "./use-tree-state";

/** The device hierarchy page: search, the virtualised tree, and the selected node's details and group actions. */
export function DeviceTreeView({ initialSearch }: { initialSearch: string }) {
  const tree = useTreeState();
  const { data, request, retry, refetchRoots, rootsError, rootsLoaded } = useTreeData(tree.expandedIds);
  const rows = useMemo(() => flattenTree(data, tree.expanded, tree.pins), [data, tree.expanded, tree.pins]);
  const byKey = useMemo(() => new Map(rows.flatMap((r) => (r.type === "node" ? [[r.key, r]] : []))), [rows]);
  const selected = tree.selected === null ? undefined : byKey.get(tree.selected);
  const parent = tree.selected === null ? undefined : byKey.get(parentKeyOf(tree.selected));
  const [action, setAction] = useState<GroupAction | null>(null);
  const [revealTick, setRevealTick] = useState(0);
  const selection = useDeviceSelection();
  const [bulkStart, setBulkStart] = useState<StartTarget | null>(null);
  const treeRef = useRef<HTMLDivElement>(null);
  const queryClient = useQueryClient();
  const router = useRouter();
  const toast = useToast();
  const { reveal, select, toggle } = tree;

  /** Opens the tree down to an object (its first path, or the one `preferKey` names) and selects it. */
  const jumpTo = useCallback(
    async (id: string, preferKey?: string) => {
      try {
        const { paths } = await queryClient.fetchQuery(deviceTreeQueries.paths(id));
        const path = paths.find((p) => keyOf(p.map((n) => n.id)) === preferKey) ?? paths[0];
        if (!path) return;
        reveal(path);
        setRevealTick((t) => t + 1);
        treeRef.current?.focus({ preventScroll: true });
      } catch (error) {
        toast({
          tone: "error",
          title: "Could not find its place in the tree",
          description: describeError(error).message,
        });
      }
    },
    [queryClient, reveal, toast],
  );

  // Opened with ?sel=…: pin that path, so the row shows even deep inside a long list.
  const [initialSel] = useState(tree.selected);
  useEffect(() => {
    // Starts a fetch; the tree state changes only when it answers.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (initialSel) void jumpTo(lastIdOf(initialSel), initialSel);
  }, [initialSel, jumpTo]);

  const onActivate = useCallback(
    (row: NodeRow) => {
      if (row.node.kind === "group") toggle(row.key, !row.expanded);
      else router.push(`/devices/${row.node.id}`);
    },
    [router, toggle],
  );
  const onSelect = useCallback((row: NodeRow) => select(row.key), [select]);
  const onToggle = useCallback((row: NodeRow, open: boolean) => toggle(row.key, open), [toggle]);

  const onCreated = (group: TreeNodeDto, under: TreeNodeDto | null) => {
    const base = under && tree.selected ? [...ancestorKeys(tree.selected), tree.selected] : [];
    const path = base.map((k) => byKey.get(k)?.node).filter((n): n is TreeNodeDto => n !== undefined);
    reveal([...path, group]);
    setRevealTick((t) => t + 1);
  };

  let body;
  if (rootsError && !rootsLoaded)
    body = (
      <ErrorState error={rootsError} title="The device tree could not be loaded" onRetry={refetchRoots} />
    );
  else if (rootsLoaded && rows.length === 0)
    body = (
      <EmptyState icon={<Network className="size-6" />} title="No devices or groups yet">
        Devices appear here once they are registered and connected. Create a group to organise them.
      </EmptyState>
    );
  else
    body = (
      <DeviceTree
        rows={rows}
        selectedKey={tree.selected}
        revealTick={revealTick}
        treeRef={treeRef}
        onSelect={onSelect}
        onToggle={onToggle}
        onActivate={onActivate}
        onNeedPages={request}
        onRetry={retry}
        checked={selection.ids}
        onCheck={selection.set}
      />
    );

  return (
    <div className="grid items-start gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
      <Card>
        <div className="border-b border-slate-200 p-3 dark:border-slate-800">
          <DeviceSearch
            initialQuery={initialSearch}
            onJump={(hit) => void jumpTo(hit.id)}
            resultsAction={(q, data) => <SearchRunButton q={q} data={data} onRun={setBulkStart} />}
            actions={
              <Button onClick={() => setAction({ type: "create", parent: null })}>
                <FolderPlus className="size-4" aria-hidden="true" />
                New group
              </Button>
            }
          />
        </div>
        <SelectionBar
          selection={selection}
          onRun={() =>
            setBulkStart({
              kind: "devices",
              deviceIds: selection.nodes.map((n) => n.id),
              label: `${selection.size} selected ${selection.size === 1 ? "device" : "devices"}`,
            })
          }
        />
        {body}
        <TreeKeyHints />
      </Card>
      <NodeDetails
        node={selected?.node}
        parent={parent?.node ?? null}
        onAction={setAction}
        groupExtras={(group) => (
          <GroupBulkActions group={group} onRun={setBulkStart} onSelect={selection.set} />
        )}
      />
      <BulkStartDialog start={bulkStart} onClose={() => setBulkStart(null)} />
      <GroupActionDialog
        action={action}
        onClose={() => setAction(null)}
        onCreated={onCreated}
        onLeftGroup={(from) => {
          const key = tree.selected ? parentKeyOf(tree.selected) : null;
          if (key && lastIdOf(key) === from.id) select(key);
        }}
      />
    </div>
  );
}
