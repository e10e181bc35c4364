"use client";

import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState, type ReactNode } from "react";
import { GO_TO } from "@/components/shortcuts/go-to";
import type { Shortcut } from "@/components/shortcuts/key-sequences";
import { useGlobalKeys } from "@/components/shortcuts/use-global-keys";
import { useSessionUser } from "@/components/shell/session-user-provider";
import { useToast } from "@/components/ui/toast";
import { LINKS } from "@/components/shell/nav-links";
import { Contributions } from "./contributions";
import { PaletteContext, type PaletteAction, type PaletteRegistry } from "./palette-context";
import { recentStorageKey } from "./recent";
import { useOnDemand } from "./use-on-demand";

// Loaded on first use (the first Ctrl-K, `/`, `?` or click on the trigger), never with a page: docs/command-palette.md.
export const loadPalette = () => import("./command-palette");
const loadHelp = () => import("@/components/shortcuts/shortcuts-help-dialog");

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

  const toast = useToast();
  const close = () => setOpen(null);
  const notLoaded = (what: string) => () => {
    setOpen(null);
    toast({
      tone: "error",
      title: `The ${what} could not be loaded`,
      description: "Check the connection to the console, then press the key again.",
    });
  };
  const palette = useOnDemand(loadPalette, open === "palette", notLoaded("command palette"));
  const help = useOnDemand(loadHelp, open === "help", notLoaded("shortcuts help"));
  return (
    <PaletteContext.Provider value={registry}>
      {children}
      {open === "palette" && palette && (
        <palette.CommandPalette
          onClose={close}
          navigate={(href) => router.push(href)}
          pages={PAGES}
          recentKey={recentStorageKey(user.tenant, user.username)}
        />
      )}
      {open === "help" && help && <help.ShortcutsHelpDialog open onClose={close} />}
    </PaletteContext.Provider>
  );
}
