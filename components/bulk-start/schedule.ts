import {
  DEFAULT_CREATION_RAMP_S,
  MAX_CREATION_RAMP_S,
  MAX_NOTE_CHARS,
  MIN_CREATION_RAMP_S,
} from "@/lib/schemas/bulk-create";

/** The schedule fields as typed: start now or at a local date-time, seconds between two devices, a note. */
export interface ScheduleDraft {
  when: "now" | "later";
  /** `<input type="datetime-local">` value, local time. */
  at: string;
  ramp: string;
  note: string;
}

export const initialSchedule = (): ScheduleDraft => ({
  when: "now",
  at: "",
  ramp: String(DEFAULT_CREATION_RAMP_S),
  note: "",
});

export interface Schedule {
  startDate?: string;
  creationRamp: number;
  note?: string;
}

/**
 * Checks the schedule before anything is sent: the ramp within the vendor's bounds (docs/platform-fleet.md §1), a later
 * start that is a real time in the future. Returns the body fields, or the errors by field.
 */
export function readSchedule(
  draft: ScheduleDraft,
  now: number,
): { ok: true; value: Schedule } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const text = draft.ramp.trim().replace(",", ".");
  const ramp = Number(text);
  if (text === "" || !Number.isFinite(ramp)) errors.creationRamp = "Enter the seconds between two devices.";
  else if (ramp < MIN_CREATION_RAMP_S || ramp > MAX_CREATION_RAMP_S)
    errors.creationRamp = `Between ${MIN_CREATION_RAMP_S} and ${MAX_CREATION_RAMP_S} seconds.`;
  let startDate: string | undefined;
  if (draft.when === "later") {
    const at = draft.at ? new Date(draft.at).getTime() : NaN;
    if (!draft.at) errors.startDate = "Choose when it starts.";
    else if (!Number.isFinite(at)) errors.startDate = "Not a date and time.";
    else if (at <= now) errors.startDate = "Choose a time in the future, or start now.";
    else startDate = new Date(at).toISOString();
  }
  if (draft.note.length > MAX_NOTE_CHARS) errors.note = `At most ${MAX_NOTE_CHARS} characters.`;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const note = draft.note.trim();
  return {
    ok: true,
    value: { creationRamp: ramp, ...(startDate ? { startDate } : {}), ...(note ? { note } : {}) },
  };
}

/** "2 min 5 s": how long creating every device's operation takes at this ramp. */
export function rampDuration(devices: number, rampSeconds: number): string | null {
  if (devices < 2 || !Number.isFinite(rampSeconds) || rampSeconds <= 0) return null;
  const total = Math.round((devices - 1) * rampSeconds);
  if (total < 1) return "under a second";
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return [h && `${h} h`, m && `${m} min`, s && `${s} s`].filter(Boolean).join(" ");
}
