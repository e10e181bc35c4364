// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from "vitest";
import { Contributions } from "@/components/palette/contributions";
import { press, render } from "@/components/ui/__tests__/render";
import type { Shortcut } from "../key-sequences";
import { isTypingTarget } from "../typing-guard";
import { useGlobalKeys } from "../use-global-keys";

let unmount: (() => void) | undefined;
afterEach(() => {
  // The listener lives on window: each test's harness must take its own away.
  unmount?.();
  document.body.innerHTML = "";
});

function setup() {
  const shortcuts = new Contributions<Shortcut>();
  const ran: string[] = [];
  const now = { ms: 0 };
  shortcuts.set("test", [
    { id: "g r", keys: "g r", label: "Go to Registrations", section: "Go to", run: () => ran.push("g r") },
    { id: "]", keys: "]", label: "Next tab", section: "Device", run: () => ran.push("]") },
  ]);
  const onPalette = vi.fn();
  const onHelp = vi.fn();
  function Harness() {
    useGlobalKeys({ shortcuts, onPalette, onHelp, now: () => now.ms });
    return (
      <div>
        <button>Plain button</button>
        <input aria-label="Name" />
        <input type="checkbox" aria-label="Pick" />
        <textarea aria-label="Notes" />
        <select aria-label="Status">
          <option>A</option>
        </select>
        <div contentEditable suppressContentEditableWarning aria-label="Editor">
          <span>text</span>
        </div>
      </div>
    );
  }
  ({ unmount } = render(<Harness />));
  const q = (sel: string) => document.querySelector(sel)!;
  return { ran, now, onPalette, onHelp, q };
}

describe("isTypingTarget", () => {
  it("is true in text fields, text areas, selects and editable content, not on buttons or checkboxes", () => {
    const { q } = setup();
    expect(isTypingTarget(q('input[aria-label="Name"]'))).toBe(true);
    expect(isTypingTarget(q("textarea"))).toBe(true);
    expect(isTypingTarget(q("select"))).toBe(true);
    expect(isTypingTarget(q("[contenteditable] span"))).toBe(true);
    expect(isTypingTarget(q("button"))).toBe(false);
    expect(isTypingTarget(q('input[type="checkbox"]'))).toBe(false);
    expect(isTypingTarget(document.body)).toBe(false);
  });
});

describe("useGlobalKeys", () => {
  it("runs shortcuts and sequences pressed outside fields, and opens the palette and the help", () => {
    const { ran, onPalette, onHelp, q } = setup();
    press(document.body, "]");
    press(q("button"), "g");
    press(q("button"), "r");
    expect(ran).toEqual(["]", "g r"]);
    press(document.body, "/");
    press(document.body, "?");
    expect(onPalette).toHaveBeenCalledTimes(1);
    expect(onHelp).toHaveBeenCalledTimes(1);
  });

  it("fires nothing while the operator types in an input, a textarea, a select or editable content", () => {
    const { ran, onPalette, onHelp, q } = setup();
    for (const sel of ['input[aria-label="Name"]', "textarea", "select", "[contenteditable] span"]) {
      for (const key of ["]", "g", "r", "/", "?"]) press(q(sel), key);
    }
    expect(ran).toEqual([]);
    expect(onPalette).not.toHaveBeenCalled();
    expect(onHelp).not.toHaveBeenCalled();
  });

  it("opens the palette with Ctrl-K or ⌘-K even from a field, and takes the key from the browser", () => {
    const { onPalette, q } = setup();
    const event = new KeyboardEvent("keydown", { key: "k", ctrlKey: true, bubbles: true, cancelable: true });
    q('input[aria-label="Name"]').dispatchEvent(event);
    press(document.body, "k", { metaKey: true });
    expect(onPalette).toHaveBeenCalledTimes(2);
    expect(event.defaultPrevented).toBe(true);
  });

  it("lets keys through to another open dialog, and forgets a slow sequence (manual clock)", () => {
    const { ran, now, onPalette } = setup();
    const modal = document.createElement("div");
    modal.setAttribute("aria-modal", "true");
    document.body.append(modal);
    press(document.body, "]");
    press(document.body, "k", { ctrlKey: true });
    expect(ran).toEqual([]);
    expect(onPalette).not.toHaveBeenCalled();
    modal.remove();
    press(document.body, "g");
    now.ms += 5000;
    press(document.body, "r");
    expect(ran).toEqual([]);
  });
});
