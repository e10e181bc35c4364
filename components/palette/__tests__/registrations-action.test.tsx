// @vitest-environment happy-dom
import { act } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { AcceptToolbar } from "@/components/registrations/accept-toolbar";
import type { Shortcut } from "@/components/shortcuts/key-sequences";
import { render } from "@/components/ui/__tests__/render";
import { ToastProvider } from "@/components/ui/toast";
import { Contributions } from "../contributions";
import { PaletteContext, type PaletteAction, type PaletteRegistry } from "../palette-context";

let unmount: (() => void) | undefined;
afterEach(() => {
  unmount?.();
  document.body.innerHTML = "";
});

function setup(pendingTotal: number, busy = false) {
  const registry: PaletteRegistry = {
    actions: new Contributions<PaletteAction>(),
    shortcuts: new Contributions<Shortcut>(),
    openPalette: () => {},
    openHelp: () => {},
  };
  const ui = (total: number, isBusy: boolean) => (
    <PaletteContext.Provider value={registry}>
      <ToastProvider>
        <AcceptToolbar
          selected={[]}
          pendingTotal={total}
          busy={isBusy}
          onAccept={() => {}}
          onClearSelection={() => {}}
        />
      </ToastProvider>
    </PaletteContext.Provider>
  );
  const view = render(ui(pendingTotal, busy));
  unmount = view.unmount;
  return { registry, rerender: (total: number, isBusy = false) => view.rerender(ui(total, isBusy)) };
}

describe("the registrations page in the palette", () => {
  it("offers 'accept all pending' with the count, which opens the page's own confirmation", () => {
    const { registry } = setup(1234);
    const [action] = registry.actions.getSnapshot();
    expect(action).toMatchObject({
      id: "registrations.accept-all-pending",
      label: "Accept all pending (1,234)",
    });
    expect(document.querySelector('[role="alertdialog"]')).toBeNull();
    act(() => action!.run());
    expect(document.querySelector('[role="alertdialog"]')!.textContent).toContain(
      "Accept all 1,234 pending devices?",
    );
  });

  it("offers nothing while nothing is pending or a bulk run is going on, and nothing once the page is gone", () => {
    const { registry, rerender } = setup(0);
    expect(registry.actions.getSnapshot()).toEqual([]);
    rerender(5, true);
    expect(registry.actions.getSnapshot()).toEqual([]);
    rerender(5);
    expect(registry.actions.getSnapshot()).toHaveLength(1);
    unmount?.();
    unmount = undefined;
    expect(registry.actions.getSnapshot()).toEqual([]);
  });
});
