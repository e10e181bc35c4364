// @vitest-environment happy-dom
// The bulk start dialog before anything is sent: the counts, the checks of the schedule and of the operation, and
// the explanation for an operator without the role. The dry run is in the cache, so no request is made.
import { act } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { bulkCreateKeys } from "@/lib/queries/bulk-create";
import { click, render } from "@/components/ui/__tests__/render";
import { BulkStartDialog } from "../bulk-start-dialog";
import { readSchedule } from "../schedule";
import type { StartTarget } from "../start-target";
import { Providers, newClient } from "./harness";

const IDS = ["11", "12", "13"];
const START: StartTarget = { kind: "devices", deviceIds: IDS, label: "3 selected devices" };
let fetchSpy: ReturnType<typeof vi.fn>;
/** Calls that would have created a bulk operation (the dry run of another fragment may be asked). */
const creates = () => fetchSpy.mock.calls.filter(([url]) => url === "/api/bulk-operations");

beforeEach(() => {
  fetchSpy = vi.fn(() => Promise.reject(new Error("no network in this test")));
  vi.stubGlobal("fetch", fetchSpy);
});
afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = "";
});

function setup(roles?: string[]) {
  const client = newClient();
  client.setQueryData(bulkCreateKeys.dryRun({ deviceIds: IDS }, "c8y_Restart"), {
    devices: 3,
    connected: 2,
    supporting: 1,
  });
  render(
    <Providers client={client} roles={roles}>
      <BulkStartDialog start={START} onClose={() => undefined} />
    </Providers>,
  );
  const dialog = document.querySelector<HTMLElement>('[role="dialog"]')!;
  const byLabel = (text: string) => {
    const label = [...dialog.querySelectorAll("label")].find((l) => l.textContent?.startsWith(text))!;
    return label.control as HTMLInputElement;
  };
  const type = (el: HTMLInputElement | HTMLSelectElement, value: string) =>
    act(() => {
      const proto =
        el instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
      Object.getOwnPropertyDescriptor(proto, "value")!.set!.call(el, value);
      el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? "change" : "input", { bubbles: true }));
    });
  const send = () =>
    [...document.querySelectorAll("button")].find((b) => b.textContent === "Start bulk operation")!;
  const submit = () => click(send());
  return { dialog, byLabel, type, send, submit };
}

describe("the bulk start dialog", () => {
  it("shows how many devices it reaches, how many are connected and support it", () => {
    const { dialog } = setup();
    const counts = dialog.querySelector('[data-testid="dry-run-counts"]')!;
    expect([...counts.querySelectorAll("dd")].map((d) => d.textContent)).toEqual(["3", "2", "1"]);
    expect(dialog.textContent).toContain("2 devices do not list c8y_Restart");
    expect(dialog.textContent).toContain("1 not connected now");
  });

  it("refuses a ramp outside 0.001–3600 s next to the field, sending nothing", () => {
    const { byLabel, type, submit, dialog } = setup();
    const ramp = byLabel("Seconds between two devices");
    type(ramp, "0");
    submit();
    expect(ramp.getAttribute("aria-invalid")).toBe("true");
    expect(dialog.textContent).toContain("Between 0.001 and 3600 seconds.");
    type(ramp, "3601");
    submit();
    expect(dialog.textContent).toContain("Between 0.001 and 3600 seconds.");
    type(ramp, "soon");
    submit();
    expect(dialog.textContent).toContain("Enter the seconds between two devices.");
    expect(creates()).toEqual([]);
  });

  it("wants a start time in the future when it starts later", () => {
    const { byLabel, type, submit, dialog } = setup();
    click(byLabel("Later"));
    submit();
    expect(dialog.textContent).toContain("Choose when it starts.");
    type(byLabel("Start time"), "2001-01-01T10:00");
    submit();
    expect(dialog.textContent).toContain("Choose a time in the future, or start now.");
    expect(creates()).toEqual([]);
  });

  it("checks the operation's own form (a shell command needs its text)", () => {
    const { byLabel, type, submit, dialog } = setup();
    type(byLabel("Operation"), "shell");
    submit();
    expect(dialog.textContent).toContain("Enter a command");
    expect(creates()).toEqual([]);
  });

  it("explains why an operator without the bulk operation role cannot start it", () => {
    const { dialog, send } = setup(["ROLE_INVENTORY_ADMIN", "ROLE_DEVICE_CONTROL_ADMIN"]);
    expect(dialog.textContent).toContain("needs the role Bulk operations admin");
    expect(send().disabled).toBe(true);
  });
});

describe("readSchedule", () => {
  const now = Date.parse("2026-05-01T10:00:00Z");
  it("starts now without a startDate and keeps a trimmed note", () => {
    expect(readSchedule({ when: "now", at: "", ramp: "0,5", note: "  hi " }, now)).toEqual({
      ok: true,
      value: { creationRamp: 0.5, note: "hi" },
    });
  });
  it("takes the bounds themselves", () => {
    expect(readSchedule({ when: "now", at: "", ramp: "0.001", note: "" }, now).ok).toBe(true);
    expect(readSchedule({ when: "now", at: "", ramp: "3600", note: "" }, now).ok).toBe(true);
  });
});
