import { CircleDashed, CirclePause, PlugZap, Unplug, WifiOff } from "lucide-react";
import type { ConnectionDto } from "@/lib/schemas/device";
import { Badge, type BadgeTone } from "@/components/ui/badge";

export interface PresenceLabel {
  label: "Connected" | "Disconnected" | "Unavailable" | "Maintenance" | "Unknown" | "Available";
  tone: BadgeTone;
  /** What it means for the operator, for the tooltip. */
  hint: string;
}

/**
 * What a device's presence says, in at most two words: the connection first (whether an operation reaches it now),
 * then "Unavailable" when the device has not been heard from within its interval. Maintenance silences both, as
 * the platform does (docs/emulator-presence.md). Empty for objects the platform does not monitor.
 */
export function presenceLabels(c: ConnectionDto | null): PresenceLabel[] {
  if (!c) return [];
  if (c.connection === "MAINTENANCE" || c.availability === "MAINTENANCE")
    return [{ label: "Maintenance", tone: "neutral", hint: "In maintenance: not monitored for now" }];
  const out: PresenceLabel[] = [];
  if (c.connection === "CONNECTED")
    out.push({ label: "Connected", tone: "success", hint: "Connected: operations reach it at once" });
  else if (c.connection === "DISCONNECTED")
    out.push({
      label: "Disconnected",
      tone: "warning",
      hint: "Disconnected: operations wait until it connects",
    });
  if (c.availability === "UNAVAILABLE")
    out.push({
      label: "Unavailable",
      tone: "danger",
      hint: "Unavailable: nothing heard within its interval",
    });
  else if (c.availability === "AVAILABLE" && out.length === 0)
    out.push({ label: "Available", tone: "success", hint: "Available: heard from within its interval" });
  if (out.length === 0)
    out.push({
      label: "Unknown",
      tone: "neutral",
      hint: "Monitored, but the platform has not said more yet",
    });
  return out;
}

const ICONS: Record<PresenceLabel["label"], typeof PlugZap> = {
  Connected: PlugZap,
  Disconnected: Unplug,
  Unavailable: WifiOff,
  Maintenance: CirclePause,
  Unknown: CircleDashed,
  Available: PlugZap,
};

/** The presence badges of a device (tree rows, search hits, the device page, the connection list). */
export function ConnectionBadge({ connection }: { connection: ConnectionDto | null }) {
  const labels = presenceLabels(connection);
  if (labels.length === 0) return null;
  return (
    <span className="inline-flex shrink-0 items-center gap-1" data-testid="connection-badge">
      {labels.map(({ label, tone, hint }) => {
        const Icon = ICONS[label];
        return (
          <span key={label} title={hint}>
            <Badge tone={tone} icon={<Icon className="size-3" aria-hidden="true" />}>
              {label}
            </Badge>
          </span>
        );
      })}
    </span>
  );
}
