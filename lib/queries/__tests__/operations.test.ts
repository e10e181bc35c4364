import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import type { HistoryDto } from "@/lib/schemas/audit";
import type { OperationDetailDto, OperationDto, OperationListDto } from "@/lib/schemas/operations";
import {
  applyOperationEvent,
  operationKeys,
  parseOperationSearch,
  operationSearchString,
  storeOperation,
} from "../operations";

const staleAfter = { PENDING: 300_000, EXECUTING: 600_000 };
const createdAt = "2025-05-02T12:00:00.000Z";

/** An operation as the REST routes and the live events carry it. */
function dto(id: string, status: OperationDto["status"], extra: Partial<OperationDto> = {}): OperationDto {
  return {
    id,
    deviceId: "10",
    deviceName: "Gateway",
    agentId: "10",
    status,
    creationTime: createdAt,
    description: "Restart device",
    failureReason: null,
    type: "c8y_Restart",
    command: null,
    fragments: { c8y_Restart: {} },
    bulkOperationId: null,
    ...extra,
  };
}

/** An operation's history as the history route answers it, read while the operation was in `status`. */
const history = (id: string, status: OperationDto["status"]): HistoryDto => ({
  source: { type: "Operation", id },
  status,
  final: status === "SUCCESSFUL" || status === "FAILED",
  entries: [
    {
      id: `${id}-1`,
      time: createdAt,
      activity: "Operation created",
      user: "admin",
      status: "PENDING",
      previousStatus: null,
      changes: [],
    },
  ],
  truncated: false,
  maxRecords: 1000,
});
const historyInvalidated = (client: QueryClient, id: string) =>
  client.getQueryState(operationKeys.history(id))!.isInvalidated;

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
const listed = (client: QueryClient, query = q()) =>
  client.getQueryData<OperationListDto>(operationKeys.list(query))!.items;
const detail = (client: QueryClient, id: string) =>
  client.getQueryData<OperationDetailDto>(operationKeys.detail(id))!.operation;

describe("applyOperationEvent", () => {
  it("replaces cached copies with the server's operation", () => {
    const client = new QueryClient();
    client.setQueryData(operationKeys.list(q()), list([dto("a1", "PENDING")]));
    client.setQueryData<OperationDetailDto>(operationKeys.detail("a1"), {
      operation: dto("a1", "PENDING"),
      staleAfter,
    });

    const executing = dto("a1", "EXECUTING");
    applyOperationEvent(client, executing);
    expect(listed(client)[0]).toEqual(executing);
    expect(detail(client, "a1")).toEqual(executing);

    const failed = dto("a1", "FAILED", {
      failureReason: "Watchdog",
      type: "c8y_Command",
      command: { text: "ls", result: "boom" },
      fragments: { c8y_Command: { text: "ls", result: "boom" } },
    });
    applyOperationEvent(client, failed);
    expect(detail(client, "a1")).toEqual(failed);
  });

  it("refetches a shown history when the operation's status moved on, and only then", () => {
    const client = new QueryClient();
    client.setQueryData(operationKeys.history("h1"), history("h1", "PENDING"));
    client.setQueryData(operationKeys.history("h2"), history("h2", "EXECUTING"));
    // Same status (a result arrived): the audit records have nothing new.
    applyOperationEvent(client, dto("h2", "EXECUTING", { command: { text: "ls", result: "a" } }));
    expect(historyInvalidated(client, "h2")).toBe(false);
    // Moved on (by the device, another operator, a script): the history is fetched again.
    applyOperationEvent(client, dto("h1", "EXECUTING"));
    expect(historyInvalidated(client, "h1")).toBe(true);
    // An operation whose history nobody asked for: nothing is fetched for it.
    applyOperationEvent(client, dto("h3", "SUCCESSFUL"));
    expect(client.getQueryState(operationKeys.history("h3"))).toBeUndefined();
  });

  it("takes a newer copy in the same status (a shell command's result)", () => {
    const client = new QueryClient();
    client.setQueryData(operationKeys.list(q()), list([dto("s1", "EXECUTING")]));
    const withResult = dto("s1", "EXECUTING", { command: { text: "ls", result: "a b" } });
    applyOperationEvent(client, withResult);
    expect(listed(client)[0]!.command).toEqual({ text: "ls", result: "a b" });
  });

  it("keeps the device name a list showed: the platform names devices only in lists", () => {
    const client = new QueryClient();
    client.setQueryData(operationKeys.list(q()), list([dto("n1", "PENDING")]));
    applyOperationEvent(client, dto("n1", "EXECUTING", { deviceName: null }));
    expect(listed(client)[0]).toMatchObject({ status: "EXECUTING", deviceName: "Gateway" });
  });

  it("ignores an event older than the cache, and a final status never gives way to the other", () => {
    const client = new QueryClient();
    client.setQueryData(operationKeys.list(q()), list([dto("b1", "SUCCESSFUL")]));
    client.setQueryData(operationKeys.list(q({ status: "EXECUTING" })), list([]));
    applyOperationEvent(client, dto("b1", "EXECUTING"));
    applyOperationEvent(client, dto("b1", "FAILED"));
    expect(listed(client)[0]!.status).toBe("SUCCESSFUL");
    // Nothing was refetched for it either: the EXECUTING list does not get an operation that is done.
    expect(client.getQueryState(operationKeys.list(q({ status: "EXECUTING" })))!.isInvalidated).toBe(false);
  });

  it("refetches lists the operation enters or leaves, and leaves others alone", () => {
    const client = new QueryClient();
    const pending = q({ status: "PENDING" });
    const executing = q({ status: "EXECUTING" });
    const otherDevice = q({ deviceId: "99" });
    for (const key of [pending, executing, otherDevice])
      client.setQueryData(operationKeys.list(key), list(key === pending ? [dto("c1", "PENDING")] : []));
    applyOperationEvent(client, dto("c1", "EXECUTING"));
    const invalid = (key: ReturnType<typeof q>) =>
      client.getQueryState(operationKeys.list(key))!.isInvalidated;
    expect(invalid(pending)).toBe(true);
    expect(invalid(executing)).toBe(true);
    expect(invalid(otherDevice)).toBe(false);
  });
});

describe("storeOperation", () => {
  it("puts a new operation on top of the first pages it belongs on and refetches the lists", () => {
    const client = new QueryClient();
    client.setQueryData(operationKeys.list(q()), list([dto("d1", "SUCCESSFUL")]));
    client.setQueryData(operationKeys.list(q({ status: "FAILED" })), list([]));
    storeOperation(client, dto("d2", "PENDING"), { created: true });
    expect(listed(client).map((o) => o.id)).toEqual(["d2", "d1"]);
    expect(listed(client, q({ status: "FAILED" }))).toEqual([]);
    expect(client.getQueryState(operationKeys.list(q()))!.isInvalidated).toBe(true);
  });

  it("refetches the history of an operation the operator just cancelled", () => {
    const client = new QueryClient();
    client.setQueryData(operationKeys.history("e1"), history("e1", "PENDING"));
    storeOperation(client, dto("e1", "FAILED", { failureReason: "Cancelled by admin" }));
    expect(historyInvalidated(client, "e1")).toBe(true);
  });
});

it("reads filters from the address and writes them back without defaults", () => {
  const query = parseOperationSearch(
    new URLSearchParams("status=FAILED&device=42&type=c8y_Restart&page=3&pageSize=7"),
  );
  expect(query).toEqual({ status: "FAILED", deviceId: "42", type: "c8y_Restart", page: 3, pageSize: 25 });
  expect(operationSearchString(query)).toBe("?status=FAILED&device=42&type=c8y_Restart&page=3");
  expect(parseOperationSearch({ status: "NOPE", page: "-1" })).toEqual({ page: 1, pageSize: 25 });
});
