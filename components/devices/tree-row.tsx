import { clsx } from "clsx";
import { Check, ChevronRight, Pin } from "lucide-react";
import type { CSSProperties, MouseEvent } from "react";
import type { TreeRow as Row } from "./flatten-tree";
import { isCheckable } from "@/components/bulk-start/selection";
import { ConnectionBadge } from "./connection-badge";
import { NodeBadges } from "./node-badges";
import { KIND_LABEL, NodeKindIcon, childCountText, displayName } from "./node-kind";

export const ROW_HEIGHT = 36;
const INDENT = 20;

export interface TreeRowProps {
  row: Row;
  id: string;
  selected: boolean;
  active: boolean;
  /** Checked for a bulk operation (devices and agents only). */
  checked: boolean;
  style: CSSProperties;
  /** `shift`: the click was a Shift-click (a range of devices). */
  onClick: (shift: boolean) => void;
  onCheck: (shift: boolean) => void;
  onToggle: () => void;
  onActivate: () => void;
}

/**
 * One treeitem. It holds no focusable element (the tree keeps focus and points at the active row with
 * aria-activedescendant), so the chevron is a mouse target only; the keyboard opens nodes with the arrow keys.
 */
export function TreeRow(props: TreeRowProps) {
  const { row, id, selected, active, checked, style, onClick, onCheck, onToggle, onActivate } = props;
  const common = {
    id,
    role: "treeitem",
    "aria-level": row.level,
    "aria-setsize": row.setsize,
    "aria-posinset": row.posinset,
    style: { ...style, height: ROW_HEIGHT, paddingLeft: 8 + (row.level - 1) * INDENT },
    onClick: (e: MouseEvent) => onClick(e.shiftKey),
    className: clsx(
      "absolute top-0 left-0 flex w-full cursor-default items-center gap-2 pr-3 text-sm select-none",
      // The focus ring shows on the active row while the tree has focus.
      active && "group-focus:outline-2 group-focus:-outline-offset-2 group-focus:outline-accent-600",
      selected
        ? "bg-accent-50 text-accent-900 dark:bg-accent-950 dark:text-accent-100"
        : "hover:bg-slate-50 dark:hover:bg-slate-800/60",
    ),
  } as const;

  if (row.type === "placeholder")
    return (
      <div
        {...common}
        aria-busy={!row.failed}
        aria-selected={false}
        aria-label={row.failed ? "Could not load these rows" : "Loading…"}
      >
        <span className="w-4" />
        {row.failed ? (
          <span className="text-red-700 dark:text-red-400">
            Could not load these rows. Select to try again.
          </span>
        ) : (
          <>
            <span className="sr-only">Loading…</span>
            <span
              aria-hidden="true"
              className="h-3 w-48 animate-pulse rounded bg-slate-200 dark:bg-slate-800"
            />
          </>
        )}
      </div>
    );

  const { node } = row;
  const count = childCountText(node);
  const checkable = isCheckable(node);
  return (
    <div
      {...common}
      aria-expanded={row.expandable ? row.expanded : undefined}
      aria-selected={selected}
      aria-checked={checkable ? checked : undefined}
      onDoubleClick={onActivate}
      data-node-id={node.id}
    >
      <span
        aria-hidden="true"
        className="flex size-4 shrink-0 items-center justify-center"
        onClick={(e) => {
          e.stopPropagation();
          if (row.expandable) onToggle();
        }}
      >
        {row.expandable && (
          <ChevronRight
            className={clsx("size-4 text-slate-500 transition-transform", row.expanded && "rotate-90")}
          />
        )}
      </span>
      {/* The tree holds focus, so this is a mouse target only; the row's aria-checked carries the state. */}
      <span
        aria-hidden="true"
        data-testid="row-check"
        className={clsx(
          "flex size-4 shrink-0 items-center justify-center rounded border",
          !checkable && "invisible",
          checked
            ? "border-accent-600 bg-accent-600 text-white"
            : "border-slate-400 bg-white dark:border-slate-500 dark:bg-slate-900",
        )}
        onClick={(e) => {
          e.stopPropagation();
          if (checkable) onCheck(e.shiftKey);
        }}
      >
        {checked && <Check className="size-3" strokeWidth={3} />}
      </span>
      <NodeKindIcon kind={node.kind} open={row.expanded} />
      <span className="min-w-0 truncate font-medium">{displayName(node)}</span>
      <span className="shrink-0 text-xs text-slate-600 dark:text-slate-400">{KIND_LABEL[node.kind]}</span>
      {row.pinned && (
        <span className="flex shrink-0 items-center text-xs text-slate-600 dark:text-slate-400">
          <Pin className="size-3" aria-hidden="true" />
          <span className="sr-only">shown from search</span>
        </span>
      )}
      <span className="ml-auto flex min-w-0 items-center gap-2">
        <ConnectionBadge connection={node.connection} />
        <NodeBadges node={node} />
        {count && (
          <span className="shrink-0 text-xs text-slate-600 tabular-nums dark:text-slate-400">{count}</span>
        )}
      </span>
    </div>
  );
}
