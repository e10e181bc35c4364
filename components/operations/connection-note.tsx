"use client";

import { useQuery } from "@tanstack/react-query";
import { Unplug } from "lucide-react";
import { deviceQueries } from "@/lib/queries/device";
import type { DeviceOperationContext } from "@/lib/schemas/operations";

/**
 * Before sending: the operation goes to the device's agent, and an agent without a push connection only picks it
 * up when it connects again (docs/emulator-presence.md), so the operator is told it will wait. Nothing to confirm:
 * queueing for a device that is offline is normal. Reads the agent's presence from the device query, which live
 * events keep current on the device page.
 */
export function ConnectionNote({ context }: { context: DeviceOperationContext }) {
  const agent = context.agent;
  const target = agent?.id ?? context.deviceId;
  const { data } = useQuery(deviceQueries.detail(target));
  if (data?.connection?.connection !== "DISCONNECTED") return null;
  const name = context.name ?? `Device ${context.deviceId}`;
  const who =
    agent && !agent.isSelf
      ? `Its agent ${agent.name ?? `(device ${agent.id})`} is disconnected`
      : `${name} is disconnected`;
  return (
    <p
      role="note"
      className="flex gap-2 rounded-md bg-sky-50 px-3 py-2 text-sm text-sky-900 dark:bg-sky-950 dark:text-sky-100"
    >
      <Unplug className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
      {who}: the operation will wait as Pending until it connects again.
    </p>
  );
}
