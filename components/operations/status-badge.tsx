import { clsx } from "clsx";
import { CircleCheck, CircleX, Clock, Hourglass, LoaderCircle, type LucideIcon } from "lucide-react";
import type { OperationStatus } from "@/lib/schemas/operations";
import { Badge, type BadgeTone } from "@/components/ui/badge";

/** One colour and one icon per status, everywhere operations appear (lists, timelines, dialogs, toasts). */
export const STATUS_LOOK: Record<
  OperationStatus,
  { label: string; tone: BadgeTone; Icon: LucideIcon; iconClass: string }
> = {
  PENDING: {
    label: "Pending",
    tone: "neutral",
    Icon: Clock,
    iconClass: "text-slate-500 dark:text-slate-400",
  },
  EXECUTING: {
    label: "Executing",
    tone: "accent",
    Icon: LoaderCircle,
    iconClass: "text-accent-600 dark:text-accent-400",
  },
  SUCCESSFUL: {
    label: "Successful",
    tone: "success",
    Icon: CircleCheck,
    iconClass: "text-emerald-600 dark:text-emerald-400",
  },
  FAILED: { label: "Failed", tone: "danger", Icon: CircleX, iconClass: "text-red-600 dark:text-red-400" },
};

export const statusLabel = (status: OperationStatus) => STATUS_LOOK[status].label;

/** The status icon alone; EXECUTING turns unless `still` (a past step in a timeline). */
export function StatusIcon({ status, still = false }: { status: OperationStatus; still?: boolean }) {
  const { Icon, iconClass } = STATUS_LOOK[status];
  return (
    <Icon
      className={clsx(
        "size-4 shrink-0",
        iconClass,
        status === "EXECUTING" && !still && "motion-safe:animate-spin",
      )}
      aria-hidden="true"
    />
  );
}

export function OperationStatusBadge({ status }: { status: OperationStatus }) {
  const { label, tone, Icon } = STATUS_LOOK[status];
  return (
    <Badge
      tone={tone}
      icon={
        <Icon
          className={clsx("size-3.5", status === "EXECUTING" && "motion-safe:animate-spin")}
          aria-hidden="true"
        />
      }
    >
      <span data-testid="operation-status">{label}</span>
    </Badge>
  );
}

/** Shown next to the status when an operation sits in PENDING or EXECUTING longer than the threshold. */
export function StaleBadge({ title }: { title: string }) {
  return (
    <span title={title}>
      <Badge tone="warning" icon={<Hourglass className="size-3.5" aria-hidden="true" />}>
        Stale
        <span className="sr-only">: {title}</span>
      </Badge>
    </span>
  );
}
