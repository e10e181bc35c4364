"use client";

import { Fragment, useSyncExternalStore } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Kbd } from "@/components/ui/kbd";
import { usePaletteRegistry } from "@/components/palette/palette-context";
import { keysOf, type Shortcut } from "./key-sequences";

const NONE: readonly Shortcut[] = [];
const noSubscribe = () => () => {};

/** The keys that work everywhere, ahead of what the pages on screen add. */
const ALWAYS: { keys: string[][]; label: string }[] = [
  {
    keys: [
      ["Ctrl", "K"],
      ["⌘", "K"],
    ],
    label: "Open the command palette (also from a field)",
  },
  { keys: [["/"]], label: "Search: open the command palette" },
  { keys: [["?"]], label: "Show these shortcuts" },
  { keys: [["Esc"]], label: "Close the palette or a dialog" },
];

function Keys({ keys }: { keys: string[][] }) {
  return (
    <span className="flex flex-wrap items-center gap-1">
      {keys.map((combo, i) => (
        <Fragment key={combo.join("+")}>
          {i > 0 && <span className="text-xs text-slate-600 dark:text-slate-400">or</span>}
          {combo.map((k) => (
            <Kbd key={k}>{k}</Kbd>
          ))}
        </Fragment>
      ))}
    </span>
  );
}

/** Every shortcut in force on this page, by section; opened with `?`. */
export function ShortcutsHelpDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const registry = usePaletteRegistry();
  const shortcuts = useSyncExternalStore(
    registry?.shortcuts.subscribe ?? noSubscribe,
    registry?.shortcuts.getSnapshot ?? (() => NONE),
    () => NONE,
  );
  const sections = new Map<string, { keys: string[][]; label: string }[]>([["Anywhere", ALWAYS]]);
  for (const s of shortcuts) {
    const list = sections.get(s.section) ?? [];
    list.push({ keys: [keysOf(s)], label: s.label });
    sections.set(s.section, list);
  }
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Keyboard shortcuts"
      description="Single keys work when you are not typing in a field. Sequences: press the keys one after the other."
      footer={<Button onClick={onClose}>Close</Button>}
    >
      <div className="flex max-h-[60vh] flex-col gap-4 overflow-y-auto">
        {[...sections.entries()].map(([section, rows]) => (
          <section key={section} aria-label={section}>
            <h3 className="mb-1 text-xs font-semibold tracking-wide text-slate-600 uppercase dark:text-slate-400">
              {section}
            </h3>
            <dl className="divide-y divide-slate-100 dark:divide-slate-800">
              {rows.map((row) => (
                <div key={row.label} className="flex items-center justify-between gap-4 py-1.5 text-sm">
                  <dt className="text-slate-800 dark:text-slate-200">{row.label}</dt>
                  <dd>
                    <Keys keys={row.keys} />
                  </dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </Dialog>
  );
}
