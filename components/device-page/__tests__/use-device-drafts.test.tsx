// @vitest-environment happy-dom
import { act } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { render } from "@/components/ui/__tests__/render";
import type { DeviceDto } from "@/lib/schemas/device";
import { useDeviceDrafts, type DeviceDrafts } from "../use-device-drafts";

afterEach(() => {
  document.body.innerHTML = "";
});

const device = (lastUpdated: string, fragments: DeviceDto["fragments"]): DeviceDto => ({
  id: "4100",
  name: "Gateway",
  type: "c8y_Linux",
  owner: "device_gw",
  creationTime: "2025-01-01T00:00:00.000Z",
  lastUpdated,
  isDevice: true,
  isAgent: true,
  isGroup: false,
  deviceParents: [],
  assetParents: [],
  childCounts: { devices: 0, assets: 0, additions: 0 },
  connection: null,
  fragments,
});

/** Renders the hook and hands out its latest value. */
function setup(initial: DeviceDto) {
  let drafts!: DeviceDrafts;
  function Probe({ latest }: { latest: DeviceDto }) {
    drafts = useDeviceDrafts(latest);
    return null;
  }
  const view = render(<Probe latest={initial} />);
  return {
    get: () => drafts,
    newer: (d: DeviceDto) => view.rerender(<Probe latest={d} />),
  };
}

describe("useDeviceDrafts", () => {
  const v1 = device("2025-01-02T00:00:00.000Z", {
    c8y_Hardware: { model: "A" },
    acme_X: [1],
    c8y_IsDevice: {},
  });

  it("counts only edits that change something, and the name next to fragments", () => {
    const h = setup(v1);
    act(() => h.get().set("c8y_Hardware", { model: "A" }));
    expect(h.get().changes).toEqual({});
    act(() => {
      h.get().set("c8y_Hardware", { model: "B" });
      h.get().remove("acme_X");
      h.get().set("name", "Pump room");
      h.get().set("acme_New", { on: true });
    });
    expect(h.get().changes).toEqual({
      c8y_Hardware: { model: "B" },
      acme_X: null,
      name: "Pump room",
      acme_New: { on: true },
    });
    expect(h.get().diff.map((c) => [c.name, c.kind])).toEqual([
      ["name", "changed"],
      ["c8y_Hardware", "changed"],
      ["acme_X", "removed"],
      ["acme_New", "added"],
    ]);
    expect(h.get().valueOf("acme_X")).toBeUndefined();
    act(() => h.get().revert("acme_X"));
    expect(h.get().valueOf("acme_X")).toEqual([1]);
  });

  it("keeps editing against the version it started from when a newer one arrives, and says so", () => {
    const h = setup(v1);
    act(() => h.get().set("c8y_Hardware", { model: "B" }));
    const v2 = device("2025-01-03T00:00:00.000Z", { c8y_Hardware: { model: "A" }, acme_X: [1, 2] });
    h.newer(v2);
    expect(h.get().base).toBe(v1);
    expect(h.get().baseIsStale).toBe(true);
    // Against the newer version only what still differs would be sent.
    expect(h.get().changesAgainst(v2)).toEqual({ c8y_Hardware: { model: "B" } });
    act(() => h.get().rebase(v2));
    expect(h.get().base).toBe(v2);
    expect(h.get().baseIsStale).toBe(false);
  });

  it("follows the latest version again once the edits are gone", () => {
    const h = setup(v1);
    act(() => h.get().set("acme_X", [9]));
    act(() => h.get().discardAll());
    const v2 = device("2025-01-04T00:00:00.000Z", { acme_X: [3] });
    h.newer(v2);
    expect(h.get().base).toBe(v2);
    act(() => h.get().set("acme_X", [4]));
    expect(h.get().base).toBe(v2);
    expect(h.get().changes).toEqual({ acme_X: [4] });
  });
});
