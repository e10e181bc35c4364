// The status journal behind every OperationDto's history: what a read, a live event and the console's own change
// each say about when a status began, ranked by the one status order of lib/schemas/operations.ts.
import { describe, expect, it } from "vitest";
import { OperationJournal } from "@/lib/server/services/operations";

const scope = { platformUrl: "http://platform.test", tenant: "t1" };
const created = "2030-01-01T00:00:00.000Z";
const t = (s: number) => Date.parse(created) + s * 1000;
const iso = (s: number) => new Date(t(s)).toISOString();
const op = (status: "PENDING" | "EXECUTING" | "SUCCESSFUL" | "FAILED", id = "1") => ({
  id,
  status,
  creationTime: created,
});

describe("OperationJournal", () => {
  it("marks a status exact when a live event moves on from a status it had, and a read as noticed after", () => {
    const journal = new OperationJournal();
    journal.note(scope, op("PENDING"), t(1), "read");
    journal.note(scope, op("PENDING"), t(4), "read");
    expect(journal.note(scope, op("EXECUTING"), t(5), "live")).toEqual([
      { status: "PENDING", at: created, exact: true, after: null },
      { status: "EXECUTING", at: iso(5), exact: true, after: null },
    ]);
    expect(journal.note(scope, op("SUCCESSFUL"), t(9), "read").at(-1)).toEqual({
      status: "SUCCESSFUL",
      at: iso(9),
      exact: false,
      after: iso(5),
    });
  });

  it("does not call the first sighting of a later status exact, unless the console made the change", () => {
    const journal = new OperationJournal();
    expect(journal.note(scope, op("EXECUTING", "2"), t(3), "live").at(-1)).toMatchObject({ exact: false });
    expect(journal.note(scope, op("FAILED", "3"), t(3), "own").at(-1)).toMatchObject({ exact: true });
  });

  it("keeps a final status: a late earlier one or the other final one adds nothing", () => {
    const journal = new OperationJournal();
    journal.note(scope, op("PENDING"), t(0), "read");
    const done = journal.note(scope, op("SUCCESSFUL"), t(2), "live");
    expect(journal.note(scope, op("EXECUTING"), t(3), "live")).toEqual(done);
    expect(journal.note(scope, op("FAILED"), t(4), "live")).toEqual(done);
    expect(done.map((h) => h.status)).toEqual(["PENDING", "SUCCESSFUL"]);
  });
});
