import {
  Ban,
  CalendarClock,
  CircleCheck,
  CircleX,
  LoaderCircle,
  TriangleAlert,
  type LucideIcon,
} from "lucide-react";
import type { BulkGeneralStatus } from "@/lib/schemas/bulk-operations";
import { Badge, type BadgeTone } from "@/components/ui/badge";

/** One colour, icon and name per general status, as the vendor UI names them (docs/platform-fleet.md §1). */
export const BULK_STATUS_LOOK: Record<
  BulkGeneralStatus,
  { label: string; tone: BadgeTone; Icon: LucideIcon }
> = {
  SCHEDULED: { label: "Scheduled", tone: "neutral", Icon: CalendarClock },
  EXECUTING: { label: "Executing", tone: "accent", Icon: LoaderCircle },
  EXECUTING_WITH_ERROR: { label: "Executing with errors", tone: "warning", Icon: TriangleAlert },
  SUCCESSFUL: { label: "Completed successfully", tone: "success", Icon: CircleCheck },
  FAILED: { label: "Completed with failures", tone: "danger", Icon: CircleX },
  CANCELED: { label: "Cancelled", tone: "neutral", Icon: Ban },
};

export const bulkStatusLabel = (s: BulkGeneralStatus) => BULK_STATUS_LOOK[s].label;

export function BulkStatusBadge({ status }: { status: BulkGeneralStatus }) {
  const { label, tone, Icon } = BULK_STATUS_LOOK[status];
  return (
    <Badge tone={tone} icon={<Icon className="size-3.5" aria-hidden="true" />}>
      {label}
    </Badge>
  );
}
