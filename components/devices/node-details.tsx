import { ArrowRightLeft, ExternalLink, FolderPlus, ListPlus, Unlink } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import type { TreeNodeDto } from "@/lib/schemas/device-tree";
import { Badge } from "@/components/ui/badge";
import { Button, buttonClasses } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { KIND_LABEL, childCountText, displayName, operationLabel } from "./node-kind";

export type GroupAction =
  | { type: "create"; parent: TreeNodeDto | null }
  | { type: "add"; group: TreeNodeDto }
  | { type: "move"; node: TreeNodeDto; from: TreeNodeDto }
  | { type: "remove"; node: TreeNodeDto; from: TreeNodeDto };

/**
 * The selected node at a glance, with what can be done to it here: open a device's page; create a subgroup in a
 * group or add devices to it; move or remove a member of the group it is shown under (references only).
 */
export function NodeDetails({
  node,
  parent,
  onAction,
  groupExtras,
}: {
  node: TreeNodeDto | undefined;
  /** The node above the selected position in the tree (null for a root). */
  parent: TreeNodeDto | null;
  onAction: (action: GroupAction) => void;
  /** More actions for a group (bulk operations). */
  groupExtras?: (group: TreeNodeDto) => ReactNode;
}) {
  if (!node)
    return (
      <Card className="p-5 text-sm text-slate-600 dark:text-slate-400">
        <h2 className="mb-1 text-base font-semibold text-slate-900 dark:text-slate-100">Details</h2>
        Select a device or group in the tree to see its details and what you can do with it.
      </Card>
    );
  const inGroup = parent?.kind === "group" ? parent : null;
  const count = childCountText(node);
  const facts: [string, ReactNode][] = [
    ["Kind", KIND_LABEL[node.kind]],
    [
      "Id",
      <span key="id" className="font-mono">
        {node.id}
      </span>,
    ],
    ["Type", node.type ?? "–"],
    ...(count ? ([["Children", count]] as [string, string][]) : []),
    ...(node.hardwareModel ? ([["Model", node.hardwareModel]] as [string, string][]) : []),
  ];
  return (
    <Card aria-labelledby="node-details-title">
      <CardHeader
        title={displayName(node)}
        titleId="node-details-title"
        description={inGroup ? `In ${displayName(inGroup)}` : undefined}
      />
      <CardBody className="flex flex-col gap-4 text-sm">
        <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-1.5">
          {facts.map(([term, value]) => (
            <div key={term} className="contents">
              <dt className="text-slate-600 dark:text-slate-400">{term}</dt>
              <dd className="min-w-0 truncate text-slate-900 dark:text-slate-100">{value}</dd>
            </div>
          ))}
        </dl>
        {node.supportedOperations.length > 0 && (
          <div>
            <h3 className="mb-1.5 text-slate-600 dark:text-slate-400">Supported operations</h3>
            <ul className="flex flex-wrap gap-1">
              {node.supportedOperations.map((op) => (
                <li key={op}>
                  <Badge tone="accent">{operationLabel(op)}</Badge>
                </li>
              ))}
            </ul>
          </div>
        )}
        <div className="flex flex-col gap-2">
          {node.kind !== "group" && (
            <Link href={`/devices/${node.id}`} className={buttonClasses({ variant: "primary" })}>
              <ExternalLink className="size-4" aria-hidden="true" />
              Open device page
            </Link>
          )}
          {node.kind === "group" && (
            <>
              <Button onClick={() => onAction({ type: "add", group: node })}>
                <ListPlus className="size-4" aria-hidden="true" />
                Add devices
              </Button>
              <Button onClick={() => onAction({ type: "create", parent: node })}>
                <FolderPlus className="size-4" aria-hidden="true" />
                New subgroup
              </Button>
              {groupExtras?.(node)}
            </>
          )}
          {inGroup && node.kind !== "group" && (
            <Button onClick={() => onAction({ type: "move", node, from: inGroup })}>
              <ArrowRightLeft className="size-4" aria-hidden="true" />
              Move to another group
            </Button>
          )}
          {inGroup && (
            <Button variant="ghost" onClick={() => onAction({ type: "remove", node, from: inGroup })}>
              <Unlink className="size-4" aria-hidden="true" />
              Remove from {displayName(inGroup)}
            </Button>
          )}
        </div>
      </CardBody>
    </Card>
  );
}
