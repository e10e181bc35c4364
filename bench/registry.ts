import type { Bench } from "./lib.js";
import { accept1000Bench } from "./accept-1000.js";
import { agents1000Bench } from "./agents-1000.js";
import { auditList1mBench } from "./audit-list-1m.js";
import { auditOverheadBench } from "./audit-overhead.js";
import { bulkConsoleBench } from "./bulk-console.js";
import { bulkRestartBench } from "./bulk-restart.js";
import { bffOverheadBench } from "./bff-overhead.js";
import { deviceTreeBench } from "./device-tree.js";
import { devicesFleetBench } from "./devices-fleet.js";
import { inventoryListsBench } from "./inventory-lists.js";
import { liveEventsBench } from "./live-events.js";
import { paletteBench } from "./palette.js";
import { realtimeLatencyBench } from "./realtime-latency.js";
import { registrationsCostBench } from "./registrations-cost.js";
import { restThroughputBench } from "./rest-throughput.js";
import { startupPhaseBench } from "./startup-phase.js";
import { subscriberOutageBench } from "./subscriber-outage.js";

/** Every benchmark `npm run bench` knows, in the order they run. */
export const benches: Bench[] = [
  restThroughputBench,
  inventoryListsBench,
  startupPhaseBench,
  realtimeLatencyBench,
  agents1000Bench,
  devicesFleetBench,
  deviceTreeBench,
  bffOverheadBench,
  accept1000Bench,
  subscriberOutageBench,
  auditOverheadBench,
  auditList1mBench,
  bulkRestartBench,
  registrationsCostBench,
  paletteBench,
  bulkConsoleBench,
  // Last: its CometD baseline client installs a global `window` in the runner's process.
  liveEventsBench,
];
