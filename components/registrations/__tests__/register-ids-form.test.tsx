// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { registrationKeys } from "@/lib/queries/registrations";
import type { RegistrationStatus } from "@/lib/schemas/registrations";
import { click, render } from "@/components/ui/__tests__/render";
import { RegisterIdsForm } from "../register-ids-form";

afterEach(() => {
  document.body.innerHTML = "";
});

function setup(known: [string, RegistrationStatus][], busy = false) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  // The known requests are already cached (and fresh), so the form never needs the network here.
  queryClient.setQueryData(registrationKeys.known(), known);
  const onRegister = vi.fn();
  render(
    <QueryClientProvider client={queryClient}>
      <RegisterIdsForm busy={busy} onRegister={onRegister} />
    </QueryClientProvider>,
  );
  const textarea = document.querySelector("textarea")!;
  const type = (value: string) =>
    act(() => {
      Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value")!.set!.call(textarea, value);
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    });
  const submit = () => document.querySelector<HTMLButtonElement>('button[type="submit"]')!;
  return { textarea, type, submit, onRegister };
}

describe("RegisterIdsForm", () => {
  it("labels the text area and starts with nothing to send", () => {
    const { textarea, submit } = setup([]);
    expect(document.querySelector(`label[for="${textarea.id}"]`)?.textContent).toBe(
      "Device ids, one per line",
    );
    expect(submit().disabled).toBe(true);
    expect(document.querySelector('[role="status"]')?.textContent).toBe("Nothing entered yet.");
  });

  it("flags invalid, repeated and already registered ids before anything is sent", () => {
    const { textarea, type, submit, onRegister } = setup([["gw-known", "PENDING_ACCEPTANCE"]]);
    type("gw-1\ngw-2\ngw-1\nbad/id\ngw-known\n");
    expect(document.querySelector('[role="status"]')?.textContent).toBe(
      "2 ids ready to register, 3 skipped.",
    );
    expect(textarea.getAttribute("aria-invalid")).toBe("true");
    const problems = Array.from(document.querySelectorAll("li")).map((li) => li.textContent);
    expect(problems).toEqual([
      "Line 3: gw-1 – Same id as line 1",
      "Line 4: bad/id – Contains control characters or slashes",
      "Line 5: gw-known – Already registered (pending acceptance)",
    ]);
    // The problem list is part of the text area's description.
    const problemsBox = document.querySelector("li")!.closest("div")!;
    expect(textarea.getAttribute("aria-describedby")).toContain(problemsBox.id);
    expect(submit().textContent).toBe("Register 2 devices");

    click(submit());
    expect(onRegister).toHaveBeenCalledWith(["gw-1", "gw-2"]);
    // Only the invalid line stays to be fixed; repeats and known ids have nothing left to do.
    expect(textarea.value).toBe("bad/id");
  });

  it("does not submit while another bulk action runs", () => {
    const { type, submit } = setup([], true);
    type("gw-9");
    expect(submit().textContent).toBe("Register device");
    expect(submit().disabled).toBe(true);
  });
});
