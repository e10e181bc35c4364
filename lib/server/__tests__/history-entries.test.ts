// Audit records → history entries, for record shapes the emulator does not write but a tenant might: pages out of
// order, records without `changes`, values that are not strings.
import { describe, expect, it } from "vitest";
import { toHistoryEntries } from "@/lib/server/services/audit";
import type { components } from "@/lib/server/upstream/platform";

type Record = components["schemas"]["AuditRecord"];

const record = (id: string, time: string, text: string, extra: Partial<Record> = {}): Record => ({
  id,
  self: `https://tenant.example/audit/auditRecords/${id}`,
  type: "Operation",
  time,
  creationTime: time,
  source: { id: "500" },
  activity: text.split(":")[0]!,
  text,
  severity: "information",
  user: "device_pump-1",
  ...extra,
});

describe("toHistoryEntries", () => {
  it("orders by time, then id, whatever order the records came in", () => {
    const t = "2030-01-01T00:00:00.000Z";
    const entries = toHistoryEntries(
      [
        record("9", "2030-01-01T00:00:05.000Z", "Operation updated: status='EXECUTING'."),
        record("10", t, "Operation updated: status='EXECUTING'."),
        record("8", t, "Operation created: status='PENDING', device name='Pump'.", { user: "admin" }),
      ],
      "Operation",
    );
    expect(entries.map((e) => [e.id, e.previousStatus, e.status, e.user])).toEqual([
      ["8", null, "PENDING", "admin"],
      ["10", "PENDING", "EXECUTING", "device_pump-1"],
      // Names the status it already had: no status change.
      ["9", null, null, "device_pump-1"],
    ]);
  });

  it("reads the status from the text when a record has no changes, and a bulk operation's general status", () => {
    const bulk = toHistoryEntries(
      [
        record(
          "1",
          "2030-01-01T00:00:00.000Z",
          "Bulk operation created: status='ACTIVE', general status='SCHEDULED'.",
          {
            type: "BulkOperation",
            user: "",
          },
        ),
        record(
          "2",
          "2030-01-01T00:01:00.000Z",
          "Bulk operation updated: status='IN_PROGRESS', general status='EXECUTING'.",
          {
            type: "BulkOperation",
          },
        ),
      ],
      "BulkOperation",
    );
    expect(bulk.map((e) => [e.previousStatus, e.status, e.user, e.changes])).toEqual([
      [null, "SCHEDULED", null, []],
      ["SCHEDULED", "EXECUTING", "device_pump-1", []],
    ]);
  });

  it("writes values out as text and cuts long ones", () => {
    const [entry] = toHistoryEntries(
      [
        record("3", "2030-01-01T00:00:00.000Z", "Bulk operation updated.", {
          type: "BulkOperation",
          changes: [
            {
              attribute: "creationRamp",
              type: "java.lang.Float",
              previousValue: 1.5,
              newValue: 0,
              changeType: "REPLACED",
            },
            {
              attribute: "operationPrototype",
              type: "com.cumulocity.model.operation.Operation",
              previousValue: { c8y_Command: { text: "x".repeat(600) } },
              newValue: null,
              changeType: "REMOVED",
            },
          ],
        }),
      ],
      "BulkOperation",
    );
    expect(entry!.status).toBeNull();
    expect(entry!.changes[0]).toEqual({ attribute: "creationRamp", previousValue: "1.5", newValue: "0" });
    const prototype = entry!.changes[1]!;
    expect(prototype.previousValue).toHaveLength(500);
    expect(prototype.previousValue!.startsWith('{"c8y_Command":{"text":"xxx')).toBe(true);
    expect(prototype.previousValue!.endsWith("…")).toBe(true);
    expect(prototype.newValue).toBeNull();
  });
});
