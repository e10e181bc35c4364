import { describe, expect, it } from "vitest";
import type { RegistrationStatus } from "@/lib/schemas/registrations";
import { parseIdList } from "../parse-id-list";

describe("parseIdList", () => {
  it("takes one id per line, trims them and ignores blank lines", () => {
    const check = parseIdList("  dev-1 \r\n\n\tdev-2\rdev-3\n\n");
    expect(check.ready).toEqual(["dev-1", "dev-2", "dev-3"]);
    expect(check.lines.map((l) => l.line)).toEqual([1, 3, 4]);
    expect(check.problems).toEqual([]);
  });

  it("flags invalid ids with the schema's message", () => {
    const check = parseIdList(`ok-1\nbad/slash\n${"x".repeat(129)}\ntab\there`);
    expect(check.ready).toEqual(["ok-1"]);
    expect(check.problems.map((p) => [p.line, p.problem?.kind, p.problem?.message])).toEqual([
      [2, "invalid", "Contains control characters or slashes"],
      [3, "invalid", "Longer than 128 characters"],
      [4, "invalid", "Contains control characters or slashes"],
    ]);
  });

  it("keeps the first occurrence of a repeated id and flags the others with its line", () => {
    const check = parseIdList("a\nb\na\n\na");
    expect(check.ready).toEqual(["a", "b"]);
    expect(check.problems.map((p) => [p.line, p.problem])).toEqual([
      [3, { kind: "duplicate", message: "Same id as line 1", firstLine: 1 }],
      [5, { kind: "duplicate", message: "Same id as line 1", firstLine: 1 }],
    ]);
  });

  it("flags ids that already have a request, naming its status", () => {
    const known = new Map<string, RegistrationStatus>([
      ["gw-1", "PENDING_ACCEPTANCE"],
      ["gw-2", "BLOCKED"],
    ]);
    const check = parseIdList("gw-1\ngw-3\ngw-2\ngw-1", known);
    expect(check.ready).toEqual(["gw-3"]);
    expect(check.problems.map((p) => [p.line, p.problem?.kind, p.problem?.message])).toEqual([
      [1, "known", "Already registered (pending acceptance)"],
      [3, "known", "Already registered (blocked)"],
      [4, "duplicate", "Same id as line 1"],
    ]);
  });

  it("returns nothing to register for empty input", () => {
    expect(parseIdList(" \n\n")).toEqual({ lines: [], ready: [], problems: [] });
  });
});
