import type { Bench } from "./lib.js";
import { inventoryListsBench } from "./inventory-lists.js";
import { realtimeLatencyBench } from "./realtime-latency.js";
import { restThroughputBench } from "./rest-throughput.js";
import { startupPhaseBench } from "./startup-phase.js";

/** Every benchmark `npm run bench` knows, in the order they run. */
export const benches: Bench[] = [restThroughputBench, inventoryListsBench, startupPhaseBench, realtimeLatencyBench];
