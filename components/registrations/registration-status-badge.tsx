import { Ban, CircleCheck, Clock, Hourglass } from "lucide-react";
import type { RegistrationStatus } from "@/lib/schemas/registrations";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { statusLabel } from "./status";

const LOOK: Record<RegistrationStatus, { tone: BadgeTone; Icon: typeof Clock }> = {
  WAITING_FOR_CONNECTION: { tone: "neutral", Icon: Clock },
  PENDING_ACCEPTANCE: { tone: "warning", Icon: Hourglass },
  ACCEPTED: { tone: "success", Icon: CircleCheck },
  BLOCKED: { tone: "danger", Icon: Ban },
};

export function RegistrationStatusBadge({ status }: { status: RegistrationStatus }) {
  const { tone, Icon } = LOOK[status];
  return (
    <Badge tone={tone} icon={<Icon className="size-3.5" aria-hidden="true" />}>
      {statusLabel(status)}
    </Badge>
  );
}
