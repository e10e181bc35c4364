import type { DeviceOperationContext } from "@/lib/schemas/operations";

/**
 * What the single-device send forms are given when they describe a bulk operation: no device of its own, nothing
 * installed to prefill from (every device gets the same operation).
 */
export const FLEET_CONTEXT: DeviceOperationContext = {
  deviceId: "",
  name: "Each device",
  supportedOperations: [],
  agent: null,
  offers: [],
  current: { configuration: null, firmware: null, software: [] },
};
