// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from "vitest";
import { useState } from "react";
import { ConfirmDialog } from "../confirm-dialog";
import { Dialog } from "../dialog";
import { click, press, render } from "./render";

afterEach(() => {
  document.body.innerHTML = "";
});

function Harness({ onClose = () => {} }: { onClose?: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button onClick={() => setOpen(true)}>Open</button>
      <Dialog
        open={open}
        onClose={() => {
          onClose();
          setOpen(false);
        }}
        title="Edit device"
        description="Change the name."
        footer={<button>Save</button>}
      >
        <input aria-label="Name" />
      </Dialog>
    </>
  );
}

const dialog = () => document.querySelector('[role="dialog"]');

describe("Dialog", () => {
  it("is a labelled modal dialog that takes focus when it opens", () => {
    render(<Harness />);
    click(document.querySelector("button")!);
    const el = dialog()!;
    expect(el.getAttribute("aria-modal")).toBe("true");
    expect(document.getElementById(el.getAttribute("aria-labelledby")!)?.textContent).toBe("Edit device");
    expect(document.getElementById(el.getAttribute("aria-describedby")!)?.textContent).toBe(
      "Change the name.",
    );
    // The first focusable element inside is the close button.
    expect(document.activeElement?.getAttribute("aria-label")).toBe("Close dialog");
  });

  it("keeps Tab and Shift+Tab inside", () => {
    render(<Harness />);
    click(document.querySelector("button")!);
    const save = Array.from(dialog()!.querySelectorAll("button")).find((b) => b.textContent === "Save")!;
    save.focus();
    press(save, "Tab");
    expect(document.activeElement?.getAttribute("aria-label")).toBe("Close dialog");
    press(document.activeElement!, "Tab", { shiftKey: true });
    expect(document.activeElement).toBe(save);
  });

  it("closes on Escape and gives focus back to the opener", () => {
    const onClose = vi.fn();
    render(<Harness onClose={onClose} />);
    const opener = document.querySelector("button")!;
    opener.focus();
    click(opener);
    press(document.activeElement!, "Escape");
    expect(onClose).toHaveBeenCalledTimes(1);
    expect(dialog()).toBeNull();
    expect(document.activeElement).toBe(opener);
  });
});

describe("ConfirmDialog", () => {
  it("is an alertdialog that starts on Cancel and confirms only on the confirm button", () => {
    const onConfirm = vi.fn();
    const onCancel = vi.fn();
    render(
      <ConfirmDialog
        open
        title="Remove registration gw-1?"
        confirmLabel="Remove registration"
        onConfirm={onConfirm}
        onCancel={onCancel}
      >
        The device must be registered again.
      </ConfirmDialog>,
    );
    const el = document.querySelector('[role="alertdialog"]')!;
    expect(el.textContent).toContain("Remove registration gw-1?");
    expect(document.activeElement?.textContent).toBe("Cancel");
    const confirm = Array.from(el.querySelectorAll("button")).find(
      (b) => b.textContent === "Remove registration",
    )!;
    click(confirm);
    expect(onConfirm).toHaveBeenCalledTimes(1);
    press(el, "Escape");
    expect(onCancel).toHaveBeenCalledTimes(1);
  });

  it("cannot be dismissed while its action runs", () => {
    const onCancel = vi.fn();
    render(
      <ConfirmDialog
        open
        pending
        title="Remove?"
        confirmLabel="Remove"
        onConfirm={() => {}}
        onCancel={onCancel}
      >
        Gone for good.
      </ConfirmDialog>,
    );
    press(document.querySelector('[role="alertdialog"]')!, "Escape");
    expect(onCancel).not.toHaveBeenCalled();
    const confirm = Array.from(document.querySelectorAll("button")).find((b) =>
      b.textContent?.includes("Remove"),
    )!;
    expect(confirm.disabled).toBe(true);
    expect(confirm.getAttribute("aria-busy")).toBe("true");
  });
});
