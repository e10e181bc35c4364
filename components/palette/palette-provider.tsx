"use client";

import dynamic from "next/dynamic";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState, type ReactNode } from "react";
import { GO_TO } from "@/components/shortcuts/go-to";
import type { Shortcut } from "@/components/shortcuts/key-sequences";
import { useGlobalKeys } from "@/components/shortcuts/use-global-keys";
import { useSessionUser } from "@/components/shell/session-user-provider";
import { LINKS } from "@/components/shell/nav-links";
import { Contributions } from "./contributions";
import { PaletteContext, type PaletteAction, type PaletteRegistry } from "./palette-context";
import { recentStorageKey } from "./recent";

// Loaded on first use (the first Ctrl-K, `/`, `?` or click on the trigger), never with a page: docs/command-palette.md.
export const loadPalette = () => import("./command-palette");
const CommandPalette = dynamic(() => loadPalette().then((m) => m.CommandPalette), { ssr: false });
const ShortcutsHelpDialog = dynamic(
  () => import("@/components/shortcuts/shortcuts-help-dialog").then((m) => m.ShortcutsHelpDialog),
  { ssr: false },
);

const PAGES = LINKS.map(({ href, label }) => ({ href, label }));

/**
 * Around the console: the registry pages add palette actions and shortcuts to, the one key listener, and the
 * palette and help dialog, each fetched and mounted only when asked for.
 */
export function PaletteProvider({ children }: { children: ReactNode }) {
  const router = useRouter();
  const user = useSessionUser();
  const [open, setOpen] = useState<"palette" | "help" | null>(null);
  const registry = useMemo<PaletteRegistry>(
    () => ({
      actions: new Contributions<PaletteAction>(),
      shortcuts: new Contributions<Shortcut>(),
      openPalette: () => setOpen((o) => (o === "palette" ? null : "palette")),
      openHelp: () => setOpen("help"),
    }),
    [],
  );
  useEffect(() => {
    registry.shortcuts.set(
      "go-to",
      GO_TO.map(({ key, href, label }) => ({
        id: `go-to-${key}`,
        keys: `g ${key}`,
        label: `Go to ${label}`,
        section: "Go to",
        run: () => router.push(href),
      })),
    );
  }, [registry, router]);
  useGlobalKeys({
    shortcuts: registry.shortcuts,
    onPalette: registry.openPalette,
    onHelp: registry.openHelp,
  });

  const close = () => setOpen(null);
  return (
    <PaletteContext.Provider value={registry}>
      {children}
      {open === "palette" && (
        <CommandPalette
          onClose={close}
          navigate={(href) => router.push(href)}
          pages={PAGES}
          recentKey={recentStorageKey(user.tenant, user.username)}
        />
      )}
      {open === "help" && <ShortcutsHelpDialog open onClose={close} />}
    </PaletteContext.Provider>
  );
}
