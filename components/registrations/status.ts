import type { RegistrationStatus } from "@/lib/schemas/registrations";

/** Display order of the status filters: the order a device moves through them. */
export const REGISTRATION_STATUSES: readonly RegistrationStatus[] = [
  "WAITING_FOR_CONNECTION",
  "PENDING_ACCEPTANCE",
  "ACCEPTED",
  "BLOCKED",
];

const LABELS: Record<RegistrationStatus, string> = {
  WAITING_FOR_CONNECTION: "Waiting for connection",
  PENDING_ACCEPTANCE: "Pending acceptance",
  ACCEPTED: "Accepted",
  BLOCKED: "Blocked",
};

export function statusLabel(status: RegistrationStatus): string {
  return LABELS[status];
}

/** What an empty list of each status should teach the operator. */
export const EMPTY_HINTS: Record<RegistrationStatus | "ALL", { title: string; body: string }> = {
  ALL: {
    title: "No registrations yet",
    body: "Register a device id above (or upload a CSV file), then switch the device on. It shows up here as soon as it asks for credentials.",
  },
  WAITING_FOR_CONNECTION: {
    title: "No device is waiting",
    body: "Register an id above, then start the device. Its request stays here until the device first asks for credentials.",
  },
  PENDING_ACCEPTANCE: {
    title: "Nothing to accept",
    body: "A registered device moves here once it has contacted the platform. Start a registered device and this list fills in on its own.",
  },
  ACCEPTED: {
    title: "No accepted requests",
    body: "Accept a pending request to hand the device its credentials. An accepted request disappears once the device has picked them up.",
  },
  BLOCKED: {
    title: "No blocked devices",
    body: "A request is blocked after repeated wrong security tokens. Remove it and register the id again to give the device a fresh start.",
  },
};
