import { describe, expect, it } from "vitest";
import { allowedTopics, topicsForPath } from "../topics";

const all = {
  readDevices: true,
  adminDevices: true,
  readRegistrations: true,
  adminRegistrations: true,
  adminOperations: true,
  readBulkOperations: true,
  adminBulkOperations: true,
};
const devicesOnly = { ...all, readRegistrations: false, adminRegistrations: false, adminOperations: false };

describe("topicsForPath", () => {
  it.each([
    ["/registrations", ["registrations"]],
    ["/devices", ["devices:*"]],
    ["/devices/4711", ["devices:4711", "operations:4711"]],
    ["/devices/4711/fragments", ["devices:4711", "operations:4711"]],
    ["/operations", ["operations:*"]],
    ["/operations/bulk", ["bulkOperations:*"]],
    ["/operations/bulk/42", ["bulkOperations:42", "operations:*"]],
    ["/", []],
  ])("%s follows %j", (path, topics) => {
    expect(topicsForPath(path, all)).toEqual(topics);
  });

  it("leaves out what the operator's roles do not cover", () => {
    expect(topicsForPath("/devices/4711", devicesOnly)).toEqual(["devices:4711"]);
    expect(topicsForPath("/registrations", devicesOnly)).toEqual([]);
    expect(allowedTopics(["devices:*", "operations:*", "registrations"], devicesOnly)).toEqual(["devices:*"]);
    const noBulk = { ...all, readBulkOperations: false, adminBulkOperations: false };
    expect(topicsForPath("/operations/bulk/42", noBulk)).toEqual([]);
    expect(allowedTopics(["bulkOperations:*", "operations:*"], noBulk)).toEqual(["operations:*"]);
  });
});
