// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { afterEach, describe, expect, it } from "vitest";
import type { BulkOperationDto } from "@/lib/schemas/bulk-operations";
import type { SessionUserDto } from "@/lib/schemas/session";
import { SessionUserProvider } from "@/components/shell/session-user-provider";
import { ToastProvider } from "@/components/ui/toast";
import { render } from "@/components/ui/__tests__/render";
import { BulkActions } from "../bulk-actions";

const user = (admin: boolean): SessionUserDto => ({
  username: "ops",
  tenant: "t1",
  roles: [],
  can: {
    readDevices: true,
    adminDevices: true,
    readRegistrations: true,
    adminRegistrations: true,
    adminOperations: true,
    readBulkOperations: true,
    adminBulkOperations: admin,
  },
  platformUrl: "http://platform.test",
  expiresAt: "2030-01-01T00:00:00.000Z",
});

const scheduled: BulkOperationDto = {
  id: "42",
  groupId: "7",
  failedParentId: null,
  retryOf: null,
  description: "Restart device",
  type: "c8y_Restart",
  prototype: { c8y_Restart: {} },
  note: null,
  startDate: "2030-01-01T00:00:00.000Z",
  creationRamp: 1,
  estimatedEnd: "2030-01-01T00:00:05.000Z",
  status: "ACTIVE",
  generalStatus: "SCHEDULED",
  progress: { pending: 0, executing: 0, successful: 0, failed: 0, all: 5 },
  can: { cancel: true, editSchedule: true, markSuccessful: false },
};

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

function show(bulk: BulkOperationDto, admin: boolean) {
  const view = render(
    <QueryClientProvider client={new QueryClient()}>
      <SessionUserProvider user={user(admin)}>
        <ToastProvider>
          <BulkActions bulk={bulk} />
        </ToastProvider>
      </SessionUserProvider>
    </QueryClientProvider>,
  );
  unmount = view.unmount;
  const button = (name: string) =>
    [...view.container.querySelectorAll("button")].find((b) => b.textContent === name)!;
  const why = (b: HTMLButtonElement) => {
    const id = b.getAttribute("aria-describedby");
    return id ? document.getElementById(id)?.textContent : undefined;
  };
  return { button, why };
}

describe("BulkActions", () => {
  it("without the admin role, every action is disabled and says which role is missing", () => {
    const { button, why } = show(scheduled, false);
    for (const name of ["Cancel bulk operation", "Edit schedule", "Mark successful"]) {
      expect(button(name).disabled).toBe(true);
      expect(why(button(name))).toMatch(/ROLE_BULK_OPERATION_ADMIN/);
    }
  });

  it("with the role, what the state allows is enabled and the rest says why not", () => {
    const { button, why } = show(scheduled, true);
    expect(button("Cancel bulk operation").disabled).toBe(false);
    expect(button("Edit schedule").disabled).toBe(false);
    expect(button("Mark successful").disabled).toBe(true);
    expect(why(button("Mark successful"))).toMatch(/once every device's operation has been created/);
  });
});
