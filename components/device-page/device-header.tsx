"use client";

import { clsx } from "clsx";
import { Trash2 } from "lucide-react";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import type { DeviceDto } from "@/lib/schemas/device";
import { ConnectionBadge } from "@/components/devices/connection-badge";
import { DeviceNameEditor } from "./device-name-editor";
import { DeviceParents } from "./device-parents";

/** What the object is, in the words of the platform's markers (docs/platform-api.md §4.10). */
export function RoleBadges({
  device,
}: {
  device: Pick<DeviceDto, "isAgent" | "isDevice" | "isGroup"> & { isChild?: boolean };
}) {
  return (
    <span className="inline-flex flex-wrap gap-1">
      {device.isAgent && <Badge tone="accent">Agent</Badge>}
      {device.isChild && <Badge>Child device</Badge>}
      {device.isDevice && !device.isAgent && !device.isChild && <Badge>Device</Badge>}
      {device.isGroup && <Badge>Group</Badge>}
      {!device.isAgent && !device.isDevice && !device.isGroup && <Badge>Asset</Badge>}
    </span>
  );
}

function Fact({ label, children, className }: { label: string; children: ReactNode; className?: string }) {
  return (
    <div className={clsx("min-w-0", className)}>
      <dt className="text-xs font-semibold tracking-wide text-slate-600 uppercase dark:text-slate-400">
        {label}
      </dt>
      <dd className="mt-0.5 text-sm break-words text-slate-900 dark:text-slate-100">{children}</dd>
    </div>
  );
}

/**
 * Name (renamable), what the object is, whether it is connected and when it was last heard from, who owns it,
 * when it was made and changed, and where it sits.
 */
export function DeviceHeader({
  device,
  name,
  nameChanged,
  canEdit,
  onRename,
  onDelete,
}: {
  device: DeviceDto;
  name: string | null;
  nameChanged: boolean;
  canEdit: boolean;
  onRename: (name: string) => void;
  onDelete: () => void;
}) {
  const isChild = device.deviceParents.length > 0;
  return (
    <header className="mb-6 flex flex-col gap-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="flex min-w-0 flex-col gap-2">
          <DeviceNameEditor
            name={name}
            fallback={`Device ${device.id}`}
            changed={nameChanged}
            canEdit={canEdit}
            onRename={onRename}
          />
          <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <RoleBadges device={{ ...device, isChild }} />
            <ConnectionBadge connection={device.connection} />
            {device.connection && (
              <span className="text-sm text-slate-600 dark:text-slate-400" data-testid="last-seen">
                {device.connection.lastMessage ? (
                  <>
                    Last seen <RelativeTime iso={device.connection.lastMessage} />
                  </>
                ) : (
                  "Not heard from yet"
                )}
              </span>
            )}
          </div>
        </div>
        {canEdit && (
          <Button variant="secondary" onClick={onDelete}>
            <Trash2 className="size-4" aria-hidden="true" />
            Delete {device.isDevice ? "device" : "object"}…
          </Button>
        )}
      </div>
      <dl className="grid grid-cols-2 gap-x-6 gap-y-3 rounded-lg border border-slate-200 bg-white px-5 py-4 sm:grid-cols-3 lg:grid-cols-5 dark:border-slate-800 dark:bg-slate-900">
        <Fact label="Type">{device.type ?? "–"}</Fact>
        <Fact label="ID">
          <code className="font-mono">{device.id}</code>
        </Fact>
        <Fact label="Owner">{device.owner ?? "–"}</Fact>
        <Fact label="Created">{device.creationTime ? <RelativeTime iso={device.creationTime} /> : "–"}</Fact>
        <Fact label="Last updated">
          <RelativeTime iso={device.lastUpdated} />
        </Fact>
        <Fact label="Parents" className="col-span-2 sm:col-span-3 lg:col-span-5">
          <DeviceParents device={device} />
        </Fact>
      </dl>
    </header>
  );
}
