import { clsx } from "clsx";
import { ChevronRight, Pin } from "lucide-react";
import type { CSSProperties } from "react";
import type { TreeRow as Row } from "./flatten-tree";
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
  style: CSSProperties;
  onClick: () => void;
  onToggle: () => void;
  onActivate: () => void;
}

/**
 * One treeitem. It holds no focusable element (the tree keeps focus and points at the active row with
 * aria-activedescendant), so the chevron is a mouse target only; the keyboard opens nodes with the arrow keys.
 */
export function TreeRow({ row, id, selected, active, style, onClick, onToggle, onActivate }: TreeRowProps) {
  const common = {
    id,
    role: "treeitem",
    "aria-level": row.level,
    "aria-setsize": row.setsize,
    "aria-posinset": row.posinset,
    style: { ...style, height: ROW_HEIGHT, paddingLeft: 8 + (row.level - 1) * INDENT },
    onClick,
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
  return (
    <div
      {...common}
      aria-expanded={row.expandable ? row.expanded : undefined}
      aria-selected={selected}
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
