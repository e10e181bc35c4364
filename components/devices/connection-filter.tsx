import { clsx } from "clsx";
import Link from "next/link";
import type { ConnectionFilter as Filter } from "@/lib/schemas/device";

const OPTIONS: { value: Filter | null; label: string }[] = [
  { value: null, label: "All (tree)" },
  { value: "CONNECTED", label: "Connected" },
  { value: "DISCONNECTED", label: "Disconnected" },
  { value: "UNAVAILABLE", label: "Unavailable" },
];

/**
 * The devices page's connection filter: links, so the state is in the address (`/devices?connection=…`), the
 * overview's cards can point at it, and the browser's back button undoes it.
 */
export function ConnectionFilter({ value }: { value: Filter | null }) {
  return (
    <nav aria-label="Filter devices by connection" className="mb-4">
      <ul className="inline-flex flex-wrap gap-1 rounded-lg border border-slate-200 bg-white p-1 dark:border-slate-800 dark:bg-slate-900">
        {OPTIONS.map((o) => {
          const current = o.value === value;
          return (
            <li key={o.label}>
              <Link
                href={o.value ? `/devices?connection=${o.value}` : "/devices"}
                aria-current={current ? "page" : undefined}
                className={clsx(
                  "inline-flex rounded-md px-3 py-1.5 text-sm font-medium",
                  current
                    ? "bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900"
                    : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800",
                )}
              >
                {o.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
