import { describe, expect, it } from "vitest";
import { applyChanges, diffFragments, diffJson, effectiveChanges, formatPath, jsonEqual } from "../diff";

describe("jsonEqual", () => {
  it("compares deeply and ignores key order", () => {
    expect(jsonEqual({ a: 1, b: [1, { c: null }] }, { b: [1, { c: null }], a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual({}, [])).toBe(false);
    expect(jsonEqual(null, {})).toBe(false);
    expect(jsonEqual("1", 1)).toBe(false);
  });
});

describe("diffJson", () => {
  it("is empty for equal values", () => {
    expect(diffJson({ a: [1, 2] }, { a: [1, 2] })).toEqual([]);
  });

  it("names added, removed and changed keys with their paths", () => {
    expect(
      diffJson({ model: "A", revision: "1", x: { y: 1 } }, { model: "B", serial: "9", x: { y: 2 } }),
    ).toEqual([
      { path: ["model"], kind: "changed", before: "A", after: "B" },
      { path: ["revision"], kind: "removed", before: "1" },
      { path: ["x", "y"], kind: "changed", before: 1, after: 2 },
      { path: ["serial"], kind: "added", after: "9" },
    ]);
  });

  it("shows an item inserted at the top of a list as one addition", () => {
    expect(diffJson(["c8y_Restart", "c8y_Firmware"], ["c8y_Command", "c8y_Restart", "c8y_Firmware"])).toEqual(
      [{ path: [0], kind: "added", after: "c8y_Command" }],
    );
  });

  it("shows a removed list item at its old index", () => {
    expect(diffJson(["a", "b", "c"], ["a", "c"])).toEqual([{ path: [1], kind: "removed", before: "b" }]);
  });

  it("pairs a replaced list item up and diffs inside it", () => {
    const before = [
      { name: "pi-driver", version: "3.4.5" },
      { name: "gpio", version: "0.0.5" },
    ];
    const after = [
      { name: "pi-driver", version: "3.4.6" },
      { name: "gpio", version: "0.0.5" },
    ];
    expect(diffJson(before, after)).toEqual([
      { path: [0, "version"], kind: "changed", before: "3.4.5", after: "3.4.6" },
    ]);
  });

  it("reports a type change as one change of the whole value", () => {
    expect(diffJson({ a: 1 }, [1])).toEqual([{ path: [], kind: "changed", before: { a: 1 }, after: [1] }]);
  });

  it("falls back to index-wise comparison for very long lists", () => {
    const before = Array.from({ length: 600 }, (_, i) => i);
    const after = [...before.slice(1), 600];
    const changes = diffJson(before, after);
    expect(changes).toHaveLength(600);
    expect(changes[0]).toEqual({ path: [0], kind: "changed", before: 0, after: 1 });
  });
});

describe("diffFragments", () => {
  it("classifies each fragment and leaves unchanged ones out", () => {
    const before = { c8y_Hardware: { model: "A" }, c8y_Software: { x: "1" }, same: {} };
    const after = { c8y_Hardware: { model: "B" }, same: {}, acme_New: [1] };
    expect(diffFragments(before, after)).toEqual([
      {
        name: "c8y_Hardware",
        kind: "changed",
        before: { model: "A" },
        after: { model: "B" },
        changes: [{ path: ["model"], kind: "changed", before: "A", after: "B" }],
      },
      { name: "c8y_Software", kind: "removed", before: { x: "1" }, changes: [] },
      { name: "acme_New", kind: "added", after: [1], changes: [] },
    ]);
  });
});

describe("effectiveChanges and applyChanges", () => {
  const base = { a: { x: 1 }, b: [1], c: "keep" };

  it("keeps only edits that change something", () => {
    expect(
      effectiveChanges(base, {
        a: { x: 1 }, // edited back to the original
        b: [1, 2],
        c: null,
        gone: null, // removing something that is not there
        d: { new: true },
      }),
    ).toEqual({ b: [1, 2], c: null, d: { new: true } });
  });

  it("applies update semantics: replace whole, null removes, rest stays", () => {
    expect(applyChanges(base, { a: { y: 2 }, c: null, d: 1 })).toEqual({ a: { y: 2 }, b: [1], d: 1 });
    expect(base).toEqual({ a: { x: 1 }, b: [1], c: "keep" });
  });
});

describe("formatPath", () => {
  it("writes paths the way JavaScript would", () => {
    expect(formatPath(["c8y_Hardware", "model"])).toBe("c8y_Hardware.model");
    expect(formatPath(["c8y_SoftwareList", 2, "version"])).toBe("c8y_SoftwareList[2].version");
    expect(formatPath(["map", "odd key", 0])).toBe('map["odd key"][0]');
    expect(formatPath([])).toBe("");
  });
});
