import type { TreeNodeDto } from "@/lib/schemas/device-tree";
import { Badge } from "@/components/ui/badge";
import { operationLabel } from "./node-kind";

/** Shown per row; the rest of the list is in the details panel. */
const OPS_IN_ROW = 2;

/**
 * The badges that matter at a glance: the hardware model and what the device can be asked to do. Each carries
 * its meaning for screen readers (the row's name is its text), since a bare "GW-9000" says little.
 */
export function NodeBadges({ node }: { node: TreeNodeDto }) {
  const ops = node.supportedOperations;
  const extra = ops.length - OPS_IN_ROW;
  return (
    <span className="hidden min-w-0 items-center gap-1 overflow-hidden md:flex">
      {node.hardwareModel && <Badge className="max-w-40 truncate">{node.hardwareModel}</Badge>}
      {ops.length > 0 && <span className="sr-only">supports</span>}
      {ops.slice(0, OPS_IN_ROW).map((op) => (
        <Badge key={op} tone="accent">
          {operationLabel(op)}
        </Badge>
      ))}
      {extra > 0 && <Badge tone="accent">+{extra}</Badge>}
    </span>
  );
}
