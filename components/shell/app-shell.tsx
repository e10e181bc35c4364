import { CircleUser, Radio } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import type { SessionUserDto } from "@/lib/schemas/session";
import { PaletteTrigger } from "@/components/palette/palette-trigger";
import { ThemeToggle } from "@/components/theme/theme-toggle";
import { NavLinks } from "./nav-links";
import { SignOutButton } from "./sign-out-button";

/** The console frame: skip link, header with sections, theme, the operator and sign-out; then the page. */
export function AppShell({ user, children }: { user: SessionUserDto; children: ReactNode }) {
  return (
    <div className="flex min-h-screen flex-col bg-slate-50 dark:bg-slate-950">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:shadow dark:focus:bg-slate-900"
      >
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-2.5 sm:px-6">
          <Link
            href="/registrations"
            className="flex items-center gap-2 font-semibold text-slate-900 dark:text-slate-50"
          >
            <Radio className="size-5 text-accent-600 dark:text-accent-400" aria-hidden="true" />
            c8y console
          </Link>
          <nav aria-label="Main">
            <NavLinks />
          </nav>
          <div className="ml-auto flex items-center gap-3">
            <PaletteTrigger />
            <ThemeToggle />
            <div className="flex items-center gap-2 text-sm">
              <CircleUser className="size-5 text-slate-500" aria-hidden="true" />
              <div className="leading-tight">
                <div className="font-medium text-slate-900 dark:text-slate-100">
                  <span className="sr-only">Signed in as </span>
                  {user.username}
                </div>
                <div className="text-xs text-slate-600 dark:text-slate-400">
                  <span className="sr-only">Tenant </span>
                  {user.tenant}
                </div>
              </div>
            </div>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main
        id="main"
        tabIndex={-1}
        className="mx-auto w-full max-w-7xl flex-1 px-4 py-6 focus:outline-none sm:px-6 sm:py-8"
      >
        {children}
      </main>
    </div>
  );
}
