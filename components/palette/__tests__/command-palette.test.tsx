// @vitest-environment happy-dom
import { act } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { PaletteSearchResultDto } from "@/lib/schemas/search";
import { press, render } from "@/components/ui/__tests__/render";
import type { Shortcut } from "@/components/shortcuts/key-sequences";
import { CommandPalette } from "../command-palette";
import { Contributions } from "../contributions";
import { PaletteContext, type PaletteAction, type PaletteRegistry } from "../palette-context";
import { SEARCH_DEBOUNCE_MS } from "../use-palette-search";

const RECENT_KEY = "c8y-console:palette-recent:t1/admin";
const pages = [
  { href: "/registrations", label: "Registrations" },
  { href: "/devices", label: "Devices" },
  { href: "/operations", label: "Operations" },
];

let unmount: (() => void) | undefined;
beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  unmount?.();
  vi.useRealTimers();
  document.body.innerHTML = "";
  window.localStorage.clear();
});

function setup(actions: PaletteAction[] = [], answer?: PaletteSearchResultDto) {
  const registry: PaletteRegistry = {
    actions: new Contributions<PaletteAction>(),
    shortcuts: new Contributions<Shortcut>(),
    openPalette: () => {},
    openHelp: () => {},
  };
  registry.actions.set("page", actions);
  const navigate = vi.fn();
  const onClose = vi.fn();
  const queries: string[] = [];
  const fetcher = (q: string) => {
    queries.push(q);
    return Promise.resolve(answer ?? { items: [], more: false });
  };
  const outside = document.createElement("button");
  outside.textContent = "Had focus before";
  document.body.append(outside);
  outside.focus();
  ({ unmount } = render(
    <PaletteContext.Provider value={registry}>
      <CommandPalette
        onClose={onClose}
        navigate={navigate}
        pages={pages}
        recentKey={RECENT_KEY}
        fetcher={fetcher}
      />
    </PaletteContext.Provider>,
  ));
  const input = document.querySelector<HTMLInputElement>('[role="combobox"]')!;
  return { input, navigate, onClose, queries, outside };
}

/** Types into the React-controlled field as a browser would (value setter + input event). */
function type(input: HTMLInputElement, text: string) {
  act(() => {
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!.call(input, text);
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
}
async function settle() {
  await act(() => vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS));
}
const options = () => [...document.querySelectorAll('[role="option"]')].map((o) => o.textContent);
const active = (input: HTMLInputElement) =>
  document.getElementById(input.getAttribute("aria-activedescendant")!);
const liveRegion = () => document.querySelector('[role="status"][aria-live="polite"]')!;

describe("CommandPalette", () => {
  it("is a labelled modal with a combobox that owns a listbox of grouped options and takes focus", () => {
    const { input } = setup();
    expect(document.querySelector('[role="dialog"]')!.getAttribute("aria-modal")).toBe("true");
    expect(document.activeElement).toBe(input);
    expect(input.getAttribute("aria-expanded")).toBe("true");
    const list = document.getElementById(input.getAttribute("aria-controls")!)!;
    expect(list.getAttribute("role")).toBe("listbox");
    expect(list.querySelectorAll('[role="group"]')).toHaveLength(1);
    expect(options()).toEqual(["RegistrationsPage", "DevicesPage", "OperationsPage"]);
    expect(active(input)!.getAttribute("aria-selected")).toBe("true");
  });

  it("moves with the arrow keys (wrapping), goes with Enter and remembers the page", () => {
    const { input, navigate, onClose } = setup();
    press(input, "ArrowDown");
    expect(active(input)!.textContent).toBe("DevicesPage");
    press(input, "ArrowUp");
    press(input, "ArrowUp");
    expect(active(input)!.textContent).toBe("OperationsPage");
    press(input, "Enter");
    expect(onClose).toHaveBeenCalled();
    expect(navigate).toHaveBeenCalledWith("/operations");
    expect(JSON.parse(window.localStorage.getItem(RECENT_KEY)!)).toEqual([
      { kind: "page", id: "/operations", label: "Operations", href: "/operations" },
    ]);
  });

  it("runs a page's action with Enter, and closes with Escape handing focus back", () => {
    const run = vi.fn();
    const { input, onClose, outside } = setup([
      {
        id: "device.send-restart",
        label: "Send restart to Pump 7",
        section: "This device",
        keywords: ["restart"],
        run,
      },
    ]);
    type(input, "restart");
    expect(options()[0]).toBe("Send restart to Pump 7");
    press(input, "Enter");
    expect(run).toHaveBeenCalledTimes(1);
    press(input, "Escape");
    expect(onClose).toHaveBeenCalledTimes(2);
    unmount?.();
    unmount = undefined;
    expect(document.activeElement).toBe(outside);
  });

  it("searches the platform for a pasted text at once and announces the number of results politely", async () => {
    const { input, queries, navigate } = setup([], {
      items: [
        {
          id: "7",
          name: "Yard gateway",
          kind: "agent",
          match: "externalId",
          externalId: { type: "c8y_Serial", value: "yg-17" },
        },
      ],
      more: false,
    });
    type(input, "yg-17");
    expect(queries).toEqual(["yg-17"]);
    await settle();
    expect(queries).toEqual(["yg-17"]);
    expect(options()).toEqual(["Yard gatewayAgent · c8y_Serial yg-17"]);
    expect(liveRegion().textContent).toBe("1 result");
    press(input, "Enter");
    expect(navigate).toHaveBeenCalledWith("/devices/7");
  });

  it("says so when nothing matches, with the listbox gone and the combobox collapsed", async () => {
    const { input } = setup();
    type(input, "zzz-nothing");
    await settle();
    expect(input.getAttribute("aria-expanded")).toBe("false");
    expect(input.hasAttribute("aria-activedescendant")).toBe(false);
    expect(document.querySelector('[role="listbox"]')).toBeNull();
    expect(document.querySelector('[role="dialog"]')!.textContent).toContain(
      "Nothing found for “zzz-nothing”",
    );
    expect(liveRegion().textContent).toContain("0 results");
  });
});
