import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import type { LiveOperation } from "@/lib/schemas/events";
import type { OperationDetailDto, OperationDto, OperationListDto } from "@/lib/schemas/operations";
import {
  applyOperationEvent,
  mergeHistory,
  operationKeys,
  parseOperationSearch,
  operationSearchString,
} from "../operations";

const staleAfter = { PENDING: 300_000, EXECUTING: 600_000 };

function dto(id: string, status: OperationDto["status"], deviceId = "10"): OperationDto {
  return {
    id,
    deviceId,
    deviceName: "Gateway",
    agentId: deviceId,
    status,
    creationTime: "2025-05-02T12:00:00.000Z",
    description: "Restart device",
    failureReason: null,
    type: "c8y_Restart",
    command: null,
    fragments: { c8y_Restart: {} },
    bulkOperationId: null,
    history: [{ status: "PENDING", at: "2025-05-02T12:00:00.000Z", exact: true, after: null }],
  };
}

function live(
  id: string,
  status: LiveOperation["status"],
  extra: Partial<LiveOperation> = {},
): LiveOperation {
  return {
    id,
    deviceId: "10",
    deviceName: "Gateway",
    status,
    description: "Restart device",
    failureReason: null,
    creationTime: "2025-05-02T12:00:00.000Z",
    fragments: { c8y_Restart: {} },
    ...extra,
  };
}

const list = (items: OperationDto[]): OperationListDto => ({
  items,
  page: 1,
  pageSize: 25,
  total: items.length,
  staleAfter,
});
const q = (over: Partial<Parameters<typeof operationKeys.list>[0]> = {}) => ({
  page: 1,
  pageSize: 25,
  ...over,
});

describe("applyOperationEvent", () => {
  it("patches cached copies and records when this tab saw the change", () => {
    const client = new QueryClient();
    client.setQueryData(operationKeys.list(q()), list([dto("a1", "PENDING")]));
    client.setQueryData<OperationDetailDto>(operationKeys.detail("a1"), {
      operation: dto("a1", "PENDING"),
      staleAfter,
    });

    applyOperationEvent(client, live("a1", "EXECUTING"), "2025-05-02T12:00:03.000Z");
    const item = client.getQueryData<OperationListDto>(operationKeys.list(q()))!.items[0]!;
    expect(item.status).toBe("EXECUTING");
    expect(item.history.at(-1)).toEqual({
      status: "EXECUTING",
      at: "2025-05-02T12:00:03.000Z",
      exact: true,
      after: null,
    });
    expect(client.getQueryData<OperationDetailDto>(operationKeys.detail("a1"))!.operation.status).toBe(
      "EXECUTING",
    );

    applyOperationEvent(
      client,
      live("a1", "FAILED", {
        failureReason: "Watchdog",
        fragments: { c8y_Command: { text: "ls", result: "boom" } },
      }),
      "2025-05-02T12:00:09.000Z",
    );
    const done = client.getQueryData<OperationDetailDto>(operationKeys.detail("a1"))!.operation;
    expect(done).toMatchObject({
      status: "FAILED",
      failureReason: "Watchdog",
      command: { text: "ls", result: "boom" },
    });
    expect(done.history.map((h) => h.status)).toEqual(["PENDING", "EXECUTING", "FAILED"]);
  });

  it("ignores an event older than the cache", () => {
    const client = new QueryClient();
    client.setQueryData(operationKeys.list(q()), list([dto("b1", "SUCCESSFUL")]));
    applyOperationEvent(client, live("b1", "EXECUTING"));
    expect(client.getQueryData<OperationListDto>(operationKeys.list(q()))!.items[0]!.status).toBe(
      "SUCCESSFUL",
    );
  });

  it("refetches lists the operation enters or leaves, and leaves others alone", () => {
    const client = new QueryClient();
    const pending = q({ status: "PENDING" });
    const executing = q({ status: "EXECUTING" });
    const otherDevice = q({ deviceId: "99" });
    for (const key of [pending, executing, otherDevice])
      client.setQueryData(operationKeys.list(key), list(key === pending ? [dto("c1", "PENDING")] : []));
    applyOperationEvent(client, live("c1", "EXECUTING"));
    const invalid = (key: ReturnType<typeof q>) =>
      client.getQueryState(operationKeys.list(key))!.isInvalidated;
    expect(invalid(pending)).toBe(true);
    expect(invalid(executing)).toBe(true);
    expect(invalid(otherDevice)).toBe(false);
  });
});

it("merges histories preferring exact times, then earlier ones", () => {
  expect(
    mergeHistory(
      [
        { status: "PENDING", at: "t0", exact: true, after: null },
        { status: "EXECUTING", at: "2025-01-01T00:00:09Z", exact: false, after: null },
      ],
      [{ status: "EXECUTING", at: "2025-01-01T00:00:12Z", exact: true, after: null }],
    ).map((h) => [h.status, h.exact]),
  ).toEqual([
    ["PENDING", true],
    ["EXECUTING", true],
  ]);
});

it("reads filters from the address and writes them back without defaults", () => {
  const query = parseOperationSearch(
    new URLSearchParams("status=FAILED&device=42&type=c8y_Restart&page=3&pageSize=7"),
  );
  expect(query).toEqual({ status: "FAILED", deviceId: "42", type: "c8y_Restart", page: 3, pageSize: 25 });
  expect(operationSearchString(query)).toBe("?status=FAILED&device=42&type=c8y_Restart&page=3");
  expect(parseOperationSearch({ status: "NOPE", page: "-1" })).toEqual({ page: 1, pageSize: 25 });
});
