"use client";

import type { DeviceDto } from "@/lib/schemas/device";
import { OperationsList } from "@/components/operations/operations-list";
import { SendOperationPanel } from "@/components/operations/send-operation-panel";
import { useOperationSearch } from "@/components/operations/use-operation-search";

/**
 * The device page's Operations tab: send an operation, then follow this device's operations live. Filters live
 * in the address next to the page's own `tab` (as opStatus, opType, opPage, opPageSize).
 */
export function OperationsTab({ device }: { device: DeviceDto }) {
  const [query, setQuery] = useOperationSearch({ prefix: "op", deviceId: device.id });
  return (
    <div>
      <SendOperationPanel deviceId={device.id} />
      <OperationsList query={query} onQueryChange={setQuery} forDevice />
    </div>
  );
}
