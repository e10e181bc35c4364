"use client";

import { clsx } from "clsx";
import { Cpu, LayoutDashboard, ListChecks, Network } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";

export const LINKS = [
  { href: "/overview", label: "Overview", Icon: LayoutDashboard },
  { href: "/registrations", label: "Registrations", Icon: ListChecks },
  { href: "/devices", label: "Devices", Icon: Cpu },
  { href: "/operations", label: "Operations", Icon: Network },
] as const;

/** The console's main sections; the current one is marked with aria-current for screen readers. */
export function NavLinks() {
  const pathname = usePathname();
  return (
    <ul className="flex flex-wrap items-center gap-1">
      {LINKS.map(({ href, label, Icon }) => {
        const current = pathname === href || pathname.startsWith(`${href}/`);
        return (
          <li key={href}>
            <Link
              href={href}
              aria-current={current ? "page" : undefined}
              className={clsx(
                "inline-flex items-center gap-2 rounded-md px-3 py-1.5 text-sm font-medium",
                current
                  ? "bg-slate-100 text-slate-900 dark:bg-slate-800 dark:text-slate-50"
                  : "text-slate-600 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-slate-100",
              )}
            >
              <Icon className="size-4" aria-hidden="true" />
              {label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
