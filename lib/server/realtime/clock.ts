import "server-only";

// The clock lives with the Bayeux client, which the simulated devices share; the live plumbing imports it here.
export { sleep, systemClock, type Clock, type Timer } from "@/lib/bayeux/clock";
