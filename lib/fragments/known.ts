import { z } from "zod";

/**
 * What the console knows about managed object fragments (docs/platform-api.md §4.4, §4.10): which keys are the
 * platform's own and may not be written, which fragments get a form, and the shape each known fragment must have.
 * Shared by the browser (forms, inline checks) and the BFF (refusing a bad update with 422 before the platform).
 */

/** Top-level fields that are not fragments; shown in the page header, never in the fragment list. */
export const BASE_FIELDS = ["id", "self", "name", "type", "owner", "creationTime", "lastUpdated"] as const;

/** Reference collections: maintained through their own endpoints (children, parents), never by an update. */
export const REFERENCE_FIELDS = [
  "childDevices",
  "childAssets",
  "childAdditions",
  "deviceParents",
  "assetParents",
  "additionParents",
] as const;

/** Fragments the platform computes itself; writing them would be overwritten or is refused. */
export const PLATFORM_FRAGMENTS = [
  "c8y_Availability",
  "c8y_Connection",
  "c8y_LatestMeasurements",
  "c8y_PreviousMeasurements",
  "c8y_ActiveAlarmsStatus",
] as const;

const NOT_FRAGMENTS = new Set<string>([...BASE_FIELDS, ...REFERENCE_FIELDS, "externalIds"]);
const PLATFORM_SET = new Set<string>(PLATFORM_FRAGMENTS);

/** Keys of a managed object that are fragments (everything but the base fields and reference collections). */
export function isFragmentKey(key: string): boolean {
  return !NOT_FRAGMENTS.has(key);
}

/** A fragment the operator may not change here (it is the platform's). */
export function isPlatformFragment(name: string): boolean {
  return PLATFORM_SET.has(name);
}

const MAX_NAME_LENGTH = 256;

/**
 * Why a key cannot be written by an update, or null. Owner is left out on purpose: it decides which user (for a
 * device, its own device user) may change the object, so it is not something to edit in a fragment editor.
 */
export function writableKeyProblem(key: string): string | null {
  if (key === "name" || key === "type") return null;
  if (key === "owner") return "The owner is not changed from this page.";
  if (NOT_FRAGMENTS.has(key)) return `“${key}” is maintained by the platform and cannot be set.`;
  if (PLATFORM_SET.has(key)) return `“${key}” is computed by the platform and cannot be set.`;
  if (key.length === 0) return "A fragment needs a name.";
  if (key.length > MAX_NAME_LENGTH) return `Fragment names are at most ${MAX_NAME_LENGTH} characters.`;
  if (key.includes(".")) return "Fragment names cannot contain “.” (queries use it to reach into fragments).";
  if (key.startsWith("$")) return "Fragment names cannot start with “$”.";
  if (/[\u0000-\u001f\u007f]/.test(key)) return "Fragment names cannot contain control characters.";
  return null;
}

/** Stricter rule for new fragments: letters, digits, `_` and `-`, starting with a letter (like c8y_Hardware). */
export const NEW_FRAGMENT_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

export function newFragmentNameProblem(name: string, existing: readonly string[]): string | null {
  if (name === "") return "Enter a name, e.g. acme_Location.";
  if (existing.includes(name)) return `The device already has “${name}”: edit it in the list instead.`;
  const problem = writableKeyProblem(name);
  if (problem) return problem;
  if (name === "name" || name === "type") return `“${name}” is a field of the device, not a fragment.`;
  if (!NEW_FRAGMENT_NAME.test(name))
    return "Use letters, digits, “_” and “-”, starting with a letter (a prefix like acme_ avoids clashes).";
  return null;
}

const text = z.string();
const optionalText = text.optional();

const softwareItemSchema = z.looseObject({
  name: z.string().min(1, "Every package needs a name"),
  version: z.string(),
  url: optionalText,
  softwareType: optionalText,
});

/** The shapes of the fragments that get a form; extra keys are kept (an agent may send more than we know). */
export const KNOWN_FRAGMENT_SCHEMAS = {
  c8y_Hardware: z.looseObject({ serialNumber: optionalText, model: optionalText, revision: optionalText }),
  c8y_Mobile: z.looseObject({
    imei: optionalText,
    iccid: optionalText,
    imsi: optionalText,
    msisdn: optionalText,
    cellId: optionalText,
  }),
  c8y_Firmware: z.looseObject({ name: optionalText, version: optionalText, url: optionalText }),
  c8y_Configuration: z.looseObject({ config: optionalText }),
  c8y_SupportedOperations: z.array(z.string().min(1, "An operation name cannot be empty")),
  c8y_Software: z.record(z.string().min(1, "Every package needs a name"), text),
  c8y_SoftwareList: z.array(softwareItemSchema),
} as const;

export type KnownFragmentName = keyof typeof KNOWN_FRAGMENT_SCHEMAS;
export type SoftwareItem = z.infer<typeof softwareItemSchema>;

export function isKnownFragment(name: string): name is KnownFragmentName {
  return Object.hasOwn(KNOWN_FRAGMENT_SCHEMAS, name);
}

export interface ValueProblem {
  /** Path inside the fragment ("" for the fragment itself). */
  path: string;
  message: string;
}

/** Why a value does not fit its known fragment's shape, or null (unknown fragments take any JSON). */
export function fragmentValueProblem(name: string, value: unknown): ValueProblem | null {
  if (value === null || !isKnownFragment(name)) return null;
  const parsed = KNOWN_FRAGMENT_SCHEMAS[name].safeParse(value);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0];
  const path = issue?.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("") ?? "";
  const where = path.replace(/^\./, "");
  let message = issue?.message ?? "Does not have the expected shape";
  if (issue?.code === "invalid_type")
    message = issue.message.endsWith("received undefined")
      ? `${where || "A value"} is missing (${article(issue.expected)})`
      : `${where ? `${where} must be` : "Must be"} ${article(issue.expected)}`;
  return { path: where, message };
}

function article(expected: string): string {
  if (expected === "object") return "an object";
  if (expected === "array") return "a list";
  if (expected === "string") return "text";
  return `a ${expected}`;
}

/** Operations most agents understand; offered as suggestions in the supported-operations form. */
export const STANDARD_OPERATIONS = [
  "c8y_Restart",
  "c8y_Configuration",
  "c8y_Firmware",
  "c8y_Software",
  "c8y_SoftwareList",
  "c8y_SoftwareUpdate",
  "c8y_Command",
  "c8y_Relay",
  "c8y_RelayArray",
  "c8y_MeasurementRequestOperation",
  "c8y_LogfileRequest",
] as const;

export interface FragmentInfo {
  title: string;
  /** One sentence on what the fragment means. */
  description: string;
  /** Said before saving a change that removes or alters it. */
  warning?: string;
}

/** Human names and meanings of the fragments a device page typically shows. */
export const FRAGMENT_INFO: Record<string, FragmentInfo> = {
  c8y_IsDevice: {
    title: "Device marker",
    description: "Marks the object as a device, so it appears in device lists.",
    warning: "Without it the object no longer counts as a device (device lists, device management).",
  },
  com_cumulocity_model_Agent: {
    title: "Agent marker",
    description: "The device runs an agent and receives operations for itself and its child devices.",
    warning: "Without it operations for this device and its children are no longer routed to it.",
  },
  c8y_IsDeviceGroup: { title: "Group marker", description: "Marks the object as a group of devices." },
  c8y_Hardware: { title: "Hardware", description: "Model, revision and serial number." },
  c8y_Mobile: { title: "Mobile", description: "SIM card and cellular modem." },
  c8y_Firmware: { title: "Firmware", description: "The firmware installed on the device." },
  c8y_Software: {
    title: "Software (map)",
    description: "Installed packages as a map of name to file or version (the older form).",
  },
  c8y_SoftwareList: {
    title: "Software",
    description: "Installed packages as a list of name, version and URL.",
  },
  c8y_Configuration: { title: "Configuration", description: "The device's current text configuration." },
  c8y_SupportedOperations: {
    title: "Supported operations",
    description: "The operations the device can carry out.",
    warning: "The console offers only the operations listed here for this device.",
  },
  c8y_RequiredAvailability: {
    title: "Required availability",
    description: "How often (minutes) the device must send data to count as available.",
  },
  c8y_Availability: {
    title: "Availability",
    description: "Computed by the platform from the device's traffic.",
  },
  c8y_Connection: {
    title: "Connection",
    description: "Computed by the platform from the device's connections.",
  },
  c8y_Agent: { title: "Agent software", description: "Name and version of the agent running on the device." },
};
