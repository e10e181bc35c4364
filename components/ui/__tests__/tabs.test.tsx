// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { useState } from "react";
import { TabPanel, Tabs } from "../tabs";
import { click, press, render } from "./render";

afterEach(() => {
  document.body.innerHTML = "";
});

type V = "all" | "pending" | "blocked";
function Harness() {
  const [value, setValue] = useState<V>("all");
  const items = [
    { value: "all" as const, label: "All", count: 12 },
    { value: "pending" as const, label: "Pending", count: 3 },
    { value: "blocked" as const, label: "Blocked", count: 0 },
  ];
  return (
    <>
      <Tabs items={items} value={value} onChange={setValue} label="Filter by status" idBase="t" />
      <TabPanel idBase="t" value={value}>
        showing {value}
      </TabPanel>
    </>
  );
}

const tabs = () => Array.from(document.querySelectorAll<HTMLButtonElement>('[role="tab"]'));

describe("Tabs", () => {
  it("marks one tab selected, makes only it tabbable and names the panel after it", () => {
    render(<Harness />);
    expect(document.querySelector('[role="tablist"]')?.getAttribute("aria-label")).toBe("Filter by status");
    expect(tabs().map((t) => [t.textContent, t.getAttribute("aria-selected"), t.tabIndex])).toEqual([
      ["All12", "true", 0],
      ["Pending3", "false", -1],
      ["Blocked0", "false", -1],
    ]);
    const panel = document.querySelector('[role="tabpanel"]')!;
    expect(panel.getAttribute("aria-labelledby")).toBe(tabs()[0]!.id);
    expect(tabs()[0]!.getAttribute("aria-controls")).toBe(panel.id);
  });

  it("moves with the arrow keys, Home and End, wrapping around, and follows clicks", () => {
    render(<Harness />);
    tabs()[0]!.focus();
    press(tabs()[0]!, "ArrowRight");
    expect(document.activeElement).toBe(tabs()[1]);
    expect(tabs()[1]!.getAttribute("aria-selected")).toBe("true");
    press(tabs()[1]!, "End");
    expect(document.activeElement).toBe(tabs()[2]);
    press(tabs()[2]!, "ArrowRight");
    expect(document.activeElement).toBe(tabs()[0]);
    press(tabs()[0]!, "ArrowLeft");
    expect(document.querySelector('[role="tabpanel"]')?.textContent).toBe("showing blocked");
    click(tabs()[1]!);
    expect(document.querySelector('[role="tabpanel"]')?.textContent).toBe("showing pending");
  });
});
