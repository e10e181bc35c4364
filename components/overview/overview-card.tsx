import { clsx } from "clsx";
import { ArrowRight, TriangleAlert } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import type { OverviewCount } from "@/lib/schemas/overview";
import { Skeleton } from "@/components/ui/skeleton";

export interface OverviewCardProps {
  title: string;
  /** What the number counts, in a sentence. */
  description: string;
  href: string;
  icon: ReactNode;
  /** undefined while the first answer is on its way. */
  count: OverviewCount | undefined;
  /** How the card looks when its count is above zero. */
  tone: "danger" | "warning" | "info";
}

const TONE: Record<OverviewCardProps["tone"], string> = {
  danger: "text-red-700 dark:text-red-300",
  warning: "text-amber-800 dark:text-amber-300",
  info: "text-accent-700 dark:text-accent-300",
};

/**
 * One count and the link into the list behind it. The title is the link, stretched over the whole card so any
 * click on it opens the list; its name stays the title, and the count is read as the card's text. A count that
 * failed says so on its own card, and the link still works.
 */
export function OverviewCard({ title, description, href, icon, count, tone }: OverviewCardProps) {
  const value = count?.ok ? count.count : null;
  return (
    <li
      data-testid="overview-card"
      className="relative flex h-full flex-col gap-3 rounded-lg border border-slate-200 bg-white p-5 shadow-sm transition-colors focus-within:outline-2 focus-within:outline-offset-2 focus-within:outline-accent-600 hover:border-slate-300 hover:bg-slate-50 dark:border-slate-800 dark:bg-slate-900 dark:hover:border-slate-700 dark:hover:bg-slate-800/60"
    >
      <div className="flex items-center justify-between gap-3">
        <h2 className="text-sm font-semibold text-slate-700 dark:text-slate-300">
          <Link href={href} className="outline-none after:absolute after:inset-0 after:content-['']">
            {title}
          </Link>
        </h2>
        <span
          aria-hidden="true"
          className={clsx("rounded-md p-1.5", value ? TONE[tone] : "text-slate-500 dark:text-slate-400")}
        >
          {icon}
        </span>
      </div>
      {count === undefined ? (
        <Skeleton className="h-9 w-16" />
      ) : count.ok ? (
        <p
          className={clsx(
            "text-3xl font-semibold tabular-nums",
            value ? TONE[tone] : "text-slate-900 dark:text-slate-100",
          )}
          data-testid="overview-count"
        >
          {count.count.toLocaleString("en")}
        </p>
      ) : (
        <p
          className="flex items-start gap-2 text-sm text-red-700 dark:text-red-400"
          data-testid="overview-error"
        >
          <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
          Could not be counted: {count.error.message}
        </p>
      )}
      <p className="text-sm text-slate-600 dark:text-slate-400">{description}</p>
      <span
        aria-hidden="true"
        className="mt-auto inline-flex items-center gap-1 text-sm font-medium text-accent-700 dark:text-accent-300"
      >
        {value === 0 ? "Open the list" : "Show them"}
        <ArrowRight className="size-4" />
      </span>
    </li>
  );
}
