import type { ReactNode } from "react";
import { requireSessionUser } from "@/lib/server/session";
import { LiveEventsProvider } from "@/components/live/live-events-provider";
import { OperationCompletionNotifier } from "@/components/operations/completion-notifier";
import { PaletteProvider } from "@/components/palette/palette-provider";
import { AppShell } from "@/components/shell/app-shell";
import { SessionUserProvider } from "@/components/shell/session-user-provider";

/** Every console page needs a signed-in operator; without one this sends the browser to /login?next=…. */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await requireSessionUser();
  return (
    <SessionUserProvider user={user}>
      {/* Around the shell: pages register palette actions and shortcuts (docs/command-palette.md). */}
      <PaletteProvider>
        <AppShell user={user}>
          <LiveEventsProvider>
            {children}
            {/* On every page: an operation this tab started reports its end wherever the operator went meanwhile. */}
            <OperationCompletionNotifier />
          </LiveEventsProvider>
        </AppShell>
      </PaletteProvider>
    </SessionUserProvider>
  );
}
