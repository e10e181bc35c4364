import { describe, expect, it } from "vitest";
import type { ConnectionDto } from "@/lib/schemas/device";
import { presenceLabels } from "../connection-badge";

const c = (patch: Partial<ConnectionDto>): ConnectionDto => ({
  connection: null,
  availability: null,
  lastMessage: null,
  responseInterval: 10,
  ...patch,
});
const labels = (connection: ConnectionDto | null) => presenceLabels(connection).map((l) => l.label);

describe("presenceLabels", () => {
  it("shows nothing for objects the platform does not monitor", () => {
    expect(labels(null)).toEqual([]);
  });

  it("puts the connection first and adds Unavailable when the device has been silent", () => {
    expect(labels(c({ connection: "CONNECTED", availability: "AVAILABLE" }))).toEqual(["Connected"]);
    expect(labels(c({ connection: "DISCONNECTED", availability: "AVAILABLE" }))).toEqual(["Disconnected"]);
    expect(labels(c({ connection: "DISCONNECTED", availability: "UNAVAILABLE" }))).toEqual([
      "Disconnected",
      "Unavailable",
    ]);
    expect(labels(c({ connection: "CONNECTED", availability: "UNAVAILABLE" }))).toEqual([
      "Connected",
      "Unavailable",
    ]);
  });

  it("says Maintenance alone when either status says so", () => {
    expect(
      labels(c({ connection: "MAINTENANCE", availability: "MAINTENANCE", responseInterval: 0 })),
    ).toEqual(["Maintenance"]);
    expect(labels(c({ connection: "DISCONNECTED", availability: "MAINTENANCE" }))).toEqual(["Maintenance"]);
  });

  it("falls back to what is known, then to Unknown", () => {
    expect(labels(c({ availability: "AVAILABLE" }))).toEqual(["Available"]);
    expect(labels(c({ availability: "UNAVAILABLE" }))).toEqual(["Unavailable"]);
    expect(labels(c({ connection: "UNKNOWN", availability: "UNKNOWN" }))).toEqual(["Unknown"]);
  });
});
