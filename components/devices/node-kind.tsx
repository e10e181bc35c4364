import { Box, Cpu, Folder, FolderOpen, Router } from "lucide-react";
import type { NodeKind, TreeNodeDto } from "@/lib/schemas/device-tree";

export const KIND_LABEL: Record<NodeKind, string> = {
  group: "group",
  agent: "agent",
  device: "device",
  asset: "other object",
};

/** The name to show: objects without one go by their id. */
export const displayName = (node: Pick<TreeNodeDto, "id" | "name">) =>
  node.name ?? `Unnamed object ${node.id}`;

/** What the child count counts, in words: a group's members, a device's child devices. */
export function childCountText(node: TreeNodeDto): string | null {
  // A device without children is the common case; saying "0 child devices" on every row is noise.
  if (node.childCount === null || (node.childCount === 0 && node.kind !== "group")) return null;
  const n = node.childCount.toLocaleString("en");
  if (node.kind === "group") return `${n} ${node.childCount === 1 ? "member" : "members"}`;
  return `${n} child ${node.childCount === 1 ? "device" : "devices"}`;
}

/** "c8y_Restart" → "Restart": the prefix says nothing to an operator. */
export const operationLabel = (op: string) => op.replace(/^c8y_/, "");

/** The icon of a node's kind; decorative, the kind is also said in words next to it. */
export function NodeKindIcon({ kind, open = false }: { kind: NodeKind; open?: boolean }) {
  const className = "size-4 shrink-0";
  if (kind === "group")
    return open ? (
      <FolderOpen className={`${className} text-amber-600 dark:text-amber-400`} aria-hidden="true" />
    ) : (
      <Folder className={`${className} text-amber-600 dark:text-amber-400`} aria-hidden="true" />
    );
  if (kind === "agent")
    return <Router className={`${className} text-accent-600 dark:text-accent-400`} aria-hidden="true" />;
  if (kind === "device")
    return <Cpu className={`${className} text-slate-600 dark:text-slate-300`} aria-hidden="true" />;
  return <Box className={`${className} text-slate-500`} aria-hidden="true" />;
}
