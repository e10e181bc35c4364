"use client";

import { clsx } from "clsx";
import { Monitor, Moon, Sun } from "lucide-react";
import type { ThemeChoice } from "./theme";
import { useTheme } from "./use-theme";

const OPTIONS: { value: ThemeChoice; label: string; Icon: typeof Sun }[] = [
  { value: "light", label: "Light theme", Icon: Sun },
  { value: "dark", label: "Dark theme", Icon: Moon },
  { value: "system", label: "System theme", Icon: Monitor },
];

/** Three pressed/unpressed buttons rather than a cycling one, so the current choice is always visible. */
export function ThemeToggle({ className }: { className?: string }) {
  const [choice, setChoice] = useTheme();
  return (
    <div
      role="group"
      aria-label="Colour theme"
      className={clsx(
        "inline-flex rounded-md border border-slate-200 p-0.5 dark:border-slate-700",
        className,
      )}
    >
      {OPTIONS.map(({ value, label, Icon }) => (
        <button
          key={value}
          type="button"
          aria-label={label}
          title={label}
          aria-pressed={choice === value}
          onClick={() => setChoice(value)}
          className={clsx(
            "rounded p-1.5",
            choice === value
              ? "bg-slate-200 text-slate-900 dark:bg-slate-700 dark:text-slate-50"
              : "text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100",
          )}
        >
          <Icon className="size-4" aria-hidden="true" />
        </button>
      ))}
    </div>
  );
}
