// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { render } from "@/components/ui/__tests__/render";
import { registrationKeys } from "@/lib/queries/registrations";
import { useLiveEvents } from "@/lib/queries/live/use-live-events";
import { FakeEventSource } from "@/lib/queries/live/__tests__/fake-event-source";
import { FreshnessIndicator, formatAge } from "../freshness-indicator";

beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse("2030-01-01T00:00:00.000Z") });
  FakeEventSource.reset();
});
afterEach(() => {
  document.body.innerHTML = "";
  vi.useRealTimers();
});

function Page() {
  useLiveEvents(["registrations"], { createEventSource: (url) => new FakeEventSource(url) });
  return <FreshnessIndicator resources={["registrations"]} />;
}

describe("live registrations page", () => {
  it("shows the stream's state and refetches registrations when they change", () => {
    const queryClient = new QueryClient();
    queryClient.setQueryData(registrationKeys.known(), []);
    const view = render(
      <QueryClientProvider client={queryClient}>
        <Page />
      </QueryClientProvider>,
    );
    act(() => {
      vi.advanceTimersByTime(0);
    });
    const es = FakeEventSource.latest();
    expect(es.url).toBe("/api/events?topics=registrations");
    expect(view.container.textContent).toBe("Connecting…");

    act(() => es.emit("upstream.changed", { state: "connected" }));
    expect(view.container.textContent).toBe("Live");
    expect(view.container.querySelector("[role=status]")?.textContent).toBe("Live");

    act(() =>
      es.emit(
        "registration.changed",
        { changes: [{ id: "dev-1", status: "PENDING_ACCEPTANCE" }], truncated: false },
        "ab12cd34.1",
      ),
    );
    act(() => {
      vi.advanceTimersByTime(250);
    });
    expect(queryClient.getQueryState(registrationKeys.known())?.isInvalidated).toBe(true);

    act(() => es.fail(false));
    act(() => {
      vi.advanceTimersByTime(12_000);
    });
    expect(view.container.textContent).toBe("Reconnecting…· updated 12 s ago");
    act(() => {
      vi.advanceTimersByTime(3_000);
    });
    expect(view.container.textContent).toBe("Offline· updated 15 s ago");
    view.unmount();
    expect(es.closed).toBe(true);
  });

  it("formats ages in seconds, minutes and hours", () => {
    expect([0, 59_400, 60_000, 3599_000, 7200_000].map(formatAge)).toEqual([
      "0 s ago",
      "59 s ago",
      "1 min ago",
      "59 min ago",
      "2 h ago",
    ]);
  });
});
