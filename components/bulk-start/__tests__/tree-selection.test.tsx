// @vitest-environment happy-dom
// Checking devices in the tree for a bulk operation: checkbox clicks, Space, Shift ranges, select all in a group.
import { act, useState } from "react";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { deviceTreeKeys } from "@/lib/queries/device-tree";
import type { TreeNodeDto } from "@/lib/schemas/device-tree";
import { click, press, render } from "@/components/ui/__tests__/render";
import { DeviceTree } from "@/components/devices/device-tree";
import type { NodeRow, TreeRow } from "@/components/devices/flatten-tree";
import { GroupBulkActions } from "../group-bulk-actions";
import { SelectionBar } from "../selection-bar";
import { useDeviceSelection } from "../use-device-selection";
import { Providers, newClient } from "./harness";

// happy-dom does no layout: give elements a size so the virtualised tree renders its rows.
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, "clientHeight", { configurable: true, get: () => 400 });
  Object.defineProperty(HTMLElement.prototype, "clientWidth", { configurable: true, get: () => 600 });
});
afterEach(() => {
  document.body.innerHTML = "";
});

const node = (id: string, kind: TreeNodeDto["kind"]): TreeNodeDto => ({
  id,
  name: `${kind} ${id}`,
  kind,
  type: null,
  childCount: kind === "group" ? 3 : 0,
  supportedOperations: [],
  connection: null,
  hardwareModel: null,
});

// A group (open) with a device, a subgroup and two more devices, then a root device.
const GROUP = node("10", "group");
const NODES = [
  GROUP,
  node("11", "device"),
  node("12", "group"),
  node("13", "agent"),
  node("14", "device"),
  node("20", "device"),
];
const ROWS: TreeRow[] = NODES.map((n, i): NodeRow => ({
  type: "node",
  key: i === 0 || i === 5 ? n.id : `10.${n.id}`,
  slot: `#${i}`,
  level: i === 0 || i === 5 ? 1 : 2,
  parentKey: i === 0 || i === 5 ? "" : "10",
  node: n,
  expandable: n.kind === "group",
  expanded: i === 0,
  pinned: false,
}));

function Harness({ onStart }: { onStart?: () => void }) {
  const selection = useDeviceSelection();
  const [selected, setSelected] = useState<string | null>(null);
  return (
    <>
      <SelectionBar selection={selection} onRun={() => onStart?.()} />
      <DeviceTree
        rows={ROWS}
        selectedKey={selected}
        revealTick={0}
        treeRef={null}
        onSelect={(r) => setSelected(r.key)}
        onToggle={() => undefined}
        onActivate={() => undefined}
        onNeedPages={() => undefined}
        onRetry={() => undefined}
        checked={selection.ids}
        onCheck={selection.set}
      />
      <GroupBulkActions group={GROUP} onRun={() => undefined} onSelect={selection.set} />
    </>
  );
}

function setup() {
  const client = newClient();
  client.setQueryData(deviceTreeKeys.childPage("10", "assets", 1), {
    items: NODES.slice(1, 5),
    page: 1,
    pageSize: 100,
    total: 4,
    hasMore: false,
  });
  render(
    <Providers client={client}>
      <Harness />
    </Providers>,
  );
  const tree = document.querySelector<HTMLElement>('[role="tree"]')!;
  const row = (id: string) => document.querySelector<HTMLElement>(`[data-node-id="${id}"]`)!;
  const box = (id: string) => row(id).querySelector<HTMLElement>('[data-testid="row-check"]')!;
  const checked = () =>
    [...document.querySelectorAll('[role="treeitem"][aria-checked="true"]')].map((r) =>
      r.getAttribute("data-node-id"),
    );
  const shiftClick = (el: HTMLElement) =>
    act(() => {
      el.dispatchEvent(new MouseEvent("click", { bubbles: true, shiftKey: true }));
    });
  const bar = () => document.querySelector('[aria-label="Selected devices"]');
  return { tree, row, box, checked, shiftClick, bar };
}

describe("selecting devices in the tree", () => {
  it("offers a checkbox on device and agent rows only", () => {
    const { row } = setup();
    expect(row("11").getAttribute("aria-checked")).toBe("false");
    expect(row("13").getAttribute("aria-checked")).toBe("false");
    expect(row("10").hasAttribute("aria-checked")).toBe(false);
    expect(row("12").hasAttribute("aria-checked")).toBe(false);
  });

  it("toggles with a click on the checkbox and shows the selection bar", () => {
    const { box, checked, bar } = setup();
    expect(bar()).toBeNull();
    click(box("11"));
    expect(checked()).toEqual(["11"]);
    expect(bar()?.textContent).toContain("1 selected");
    click(box("11"));
    expect(checked()).toEqual([]);
    expect(bar()).toBeNull();
  });

  it("Shift-click selects the devices of the range, skipping groups", () => {
    const { box, row, checked, shiftClick, bar } = setup();
    click(box("11"));
    shiftClick(row("20"));
    expect(checked()).toEqual(["11", "13", "14", "20"]);
    expect(bar()?.textContent).toContain("4 selected");
    // Backwards from the new anchor works the same way.
    click(box("20"));
    shiftClick(box("13"));
    expect(checked()).toEqual(["11", "13", "14", "20"]);
  });

  it("Space toggles the focused row, Shift+Space checks up to it", () => {
    const { tree, row, checked } = setup();
    // As in a browser: the press focuses the tree, the click makes device 11 the active row.
    act(() => tree.focus());
    click(row("11"));
    press(tree, " ");
    expect(checked()).toEqual(["11"]);
    press(tree, " ");
    expect(checked()).toEqual([]);
    press(tree, " ");
    press(tree, "ArrowDown");
    press(tree, "ArrowDown");
    press(tree, "ArrowDown"); // device 14
    press(tree, " ", { shiftKey: true });
    expect(checked()).toEqual(["11", "13", "14"]);
    press(tree, " "); // Space again unchecks device 14
    expect(checked()).toEqual(["11", "13"]);
  });

  it("selects every device of a group, and Clear empties the selection", async () => {
    const { checked, bar } = setup();
    const selectAll = [...document.querySelectorAll("button")].find((b) =>
      b.textContent?.includes("Select all devices in this group"),
    )!;
    await act(async () => {
      selectAll.click();
      await Promise.resolve();
    });
    await expect.poll(checked).toEqual(["11", "13", "14"]);
    const clear = [...bar()!.querySelectorAll("button")].find((b) => b.textContent?.includes("Clear"))!;
    click(clear);
    expect(checked()).toEqual([]);
  });
});
