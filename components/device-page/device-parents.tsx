"use client";

import { useQuery } from "@tanstack/react-query";
import { ChevronRight } from "lucide-react";
import Link from "next/link";
import { Fragment } from "react";
import { deviceTreeQueries } from "@/lib/queries/device-tree";
import type { DeviceDto, ObjectRef } from "@/lib/schemas/device";

const linkClass = "text-accent-700 underline-offset-2 hover:underline dark:text-accent-300";

function RefLink({ node }: { node: ObjectRef }) {
  return (
    <Link href={`/devices/${encodeURIComponent(node.id)}`} className={linkClass}>
      {node.name ?? `Object ${node.id}`}
    </Link>
  );
}

/**
 * Where the object sits: every path from a root of the device tree down to its parent (from the tree's paths
 * endpoint). Until that answers, or if it fails, the direct parents the object itself names.
 */
export function DeviceParents({ device }: { device: DeviceDto }) {
  const paths = useQuery(deviceTreeQueries.paths(device.id));
  const direct = [...device.deviceParents, ...device.assetParents];

  if (paths.isSuccess) {
    const ancestors = paths.data.paths.map((p) => p.slice(0, -1)).filter((p) => p.length > 0);
    if (ancestors.length === 0) return <span>None: it is at the top of the tree</span>;
    return (
      <ul className="flex flex-col gap-1">
        {ancestors.map((path, i) => (
          <li key={i} className="flex flex-wrap items-center gap-1">
            {path.map((node, k) => (
              <Fragment key={node.id}>
                {k > 0 && <ChevronRight className="size-3.5 text-slate-400" aria-hidden="true" />}
                <RefLink node={node} />
              </Fragment>
            ))}
          </li>
        ))}
        {paths.data.truncated && <li className="text-slate-600 dark:text-slate-400">and more paths…</li>}
      </ul>
    );
  }
  if (direct.length === 0) return <span>{paths.isPending ? "…" : "None"}</span>;
  return (
    <ul className="flex flex-wrap gap-x-3 gap-y-1">
      {direct.map((p) => (
        <li key={p.id}>
          <RefLink node={p} />
        </li>
      ))}
    </ul>
  );
}
