// @vitest-environment happy-dom
import { act } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { click, render } from "@/components/ui/__tests__/render";
import { FragmentEditor } from "../fragment-editor";

afterEach(() => {
  document.body.innerHTML = "";
});

/** Types into a controlled input or textarea the way React notices. */
function type(el: HTMLInputElement | HTMLTextAreaElement, value: string) {
  const proto =
    el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  act(() => {
    Object.getOwnPropertyDescriptor(proto, "value")!.set!.call(el, value);
    el.dispatchEvent(new Event("input", { bubbles: true }));
  });
}

const button = (text: string) =>
  [...document.querySelectorAll("button")].find((b) => b.textContent?.trim() === text)!;
const byLabel = (text: string) => {
  const label = [...document.querySelectorAll("label")].find((l) => l.textContent === text)!;
  return document.getElementById(label.htmlFor) as HTMLInputElement | HTMLTextAreaElement;
};

describe("FragmentEditor", () => {
  it("edits a known fragment with its form and keeps keys the form does not show", () => {
    const onApply = vi.fn();
    render(
      <FragmentEditor
        name="c8y_Hardware"
        idBase="t"
        initial={{ model: "A", revision: "1", vendorCode: 7 }}
        onApply={onApply}
        onCancel={() => undefined}
      />,
    );
    expect(button("Form").getAttribute("aria-pressed")).toBe("true");
    type(byLabel("Model"), "RaspPi 4");
    type(byLabel("Revision"), "");
    expect(document.body.textContent).toContain("vendorCode");
    click(button("Apply"));
    expect(onApply).toHaveBeenCalledWith({ model: "RaspPi 4", vendorCode: 7 });
  });

  it("shows a JSON syntax error inline with its position and refuses to apply", () => {
    const onApply = vi.fn();
    render(
      <FragmentEditor
        name="acme_Thing"
        idBase="t"
        initial={{ a: 1 }}
        onApply={onApply}
        onCancel={() => undefined}
      />,
    );
    const textarea = byLabel("acme_Thing as JSON") as HTMLTextAreaElement;
    type(textarea, '{\n  "a": 1,\n}');
    const alert = document.querySelector('[role="alert"]');
    expect(alert?.textContent).toBe("Line 3, column 1: Trailing comma before }");
    expect(textarea.getAttribute("aria-invalid")).toBe("true");
    expect(textarea.getAttribute("aria-describedby")).toBe(alert?.id);
    expect(button("Apply").disabled).toBe(true);

    type(textarea, '{"a": 2, "b": [true]}');
    expect(document.querySelector('[role="alert"]')).toBeNull();
    click(button("Apply"));
    expect(onApply).toHaveBeenCalledWith({ a: 2, b: [true] });
  });

  it("checks a known fragment's shape in JSON and moves between JSON and the form", () => {
    render(
      <FragmentEditor
        name="c8y_SupportedOperations"
        idBase="t"
        initial={["c8y_Restart"]}
        onApply={() => undefined}
        onCancel={() => undefined}
      />,
    );
    click(button("JSON"));
    const textarea = byLabel("c8y_SupportedOperations as JSON") as HTMLTextAreaElement;
    expect(JSON.parse(textarea.value)).toEqual(["c8y_Restart"]);
    type(textarea, '"c8y_Restart"');
    expect(document.querySelector('[role="alert"]')?.textContent).toBe(
      "c8y_SupportedOperations: Must be a list",
    );
    click(button("Form"));
    expect(document.body.textContent).toContain("Fix the JSON first");
    type(textarea, '["c8y_Restart", "c8y_Command"]');
    click(button("Form"));
    const inputs = [...document.querySelectorAll<HTMLInputElement>('input[aria-label^="Operation"]')];
    expect(inputs.map((i) => i.value)).toEqual(["c8y_Restart", "c8y_Command"]);
  });

  it("does not let a repeated package name through the map form", () => {
    const onApply = vi.fn();
    render(
      <FragmentEditor
        name="c8y_Software"
        idBase="t"
        initial={{ "pi-driver": "pi-driver-3.4.5.jar" }}
        onApply={onApply}
        onCancel={() => undefined}
      />,
    );
    click(button("Add package"));
    type(document.querySelector<HTMLInputElement>('input[aria-label="Package 2 name"]')!, "pi-driver");
    expect(document.querySelector('[role="alert"]')?.textContent).toBe("“pi-driver” is listed twice.");
    expect(button("Apply").disabled).toBe(true);
    type(document.querySelector<HTMLInputElement>('input[aria-label="Package 2 name"]')!, "gpio");
    type(document.querySelector<HTMLInputElement>('input[aria-label="Package 2 file or version"]')!, "0.0.5");
    click(button("Apply"));
    expect(onApply).toHaveBeenCalledWith({ "pi-driver": "pi-driver-3.4.5.jar", gpio: "0.0.5" });
  });
});
