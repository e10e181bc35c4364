import { describe, expect, it } from "vitest";
import { channelForTopic, translateDelivery } from "../translate";

const bulk = {
  id: 42,
  self: "http://x/devicecontrol/bulkoperations/42",
  groupId: "7",
  startDate: "2026-01-01T00:00:00.000Z",
  creationRamp: 2,
  operationPrototype: { description: "Restart device", c8y_Restart: {} },
  status: "IN_PROGRESS",
  generalStatus: "EXECUTING_WITH_ERRORS",
  progress: { pending: 1, executing: 1, successful: 0, failed: 1, all: 5 },
};

describe("bulk operation deliveries", () => {
  it("maps the topic to the platform's channel", () => {
    expect(channelForTopic("bulkOperations:*")).toBe("/bulkOperations/*");
    expect(channelForTopic("bulkOperations:42")).toBe("/bulkOperations/42");
  });

  it("turns CREATE/UPDATE into the DTO (one spelling of the status) and DELETE into a cancellation", () => {
    const [created] = translateDelivery("/bulkOperations/42", { realtimeAction: "CREATE", data: bulk });
    expect(created).toMatchObject({
      kind: "event",
      event: {
        type: "bulkOperation.created",
        data: {
          bulkOperation: {
            id: "42",
            generalStatus: "EXECUTING_WITH_ERROR",
            estimatedEnd: "2026-01-01T00:00:10.000Z",
            can: { cancel: true, editSchedule: false, markSuccessful: false },
          },
        },
      },
    });
    const [updated] = translateDelivery("/bulkOperations/42", [{ realtimeAction: "UPDATE", data: bulk }]);
    expect(updated).toMatchObject({ event: { type: "bulkOperation.updated" } });
    expect(translateDelivery("/bulkOperations/42", { realtimeAction: "DELETE", data: "42" })).toEqual([
      { kind: "event", event: { type: "bulkOperation.deleted", data: { id: "42" } } },
    ]);
    expect(translateDelivery("/bulkOperations/42", { realtimeAction: "UPDATE", data: { id: 42 } })).toEqual(
      [],
    );
  });
});
