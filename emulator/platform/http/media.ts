// Media types: clients send vendor types in any case, with or without ver/charset, or plain JSON (docs/platform-api.md §2.1).
const VENDOR_PREFIX = "application/vnd.com.nsn.cumulocity.";

export type MediaType =
  | "managedObject"
  | "managedObjectCollection"
  | "managedObjectReference"
  | "managedObjectReferenceCollection"
  | "externalId"
  | "externalIdCollection"
  | "operation"
  | "operationCollection"
  | "bulkOperation"
  | "bulkOperationCollection"
  | "newDeviceRequest"
  | "newDeviceRequestCollection"
  | "bulkNewDeviceRequest"
  | "deviceCredentials"
  | "currentUser"
  | "user"
  | "currentTenant"
  | "loginOptionCollection"
  | "inventoryApi"
  | "identityApi"
  | "deviceControlApi"
  | "auditApi"
  | "auditRecord"
  | "auditRecordCollection"
  | "error";

/** The Content-Type the platform emits for a vendor type. */
export function vendorType(type: MediaType): string {
  return `${VENDOR_PREFIX}${type}+json;charset=UTF-8;ver=0.9`;
}

/** The vendor token of a Content-Type or Accept entry, lower-cased ("managedobjectreference"), or undefined. */
export function vendorToken(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const essence = value.split(";")[0]!.trim().toLowerCase();
  if (!essence.startsWith(VENDOR_PREFIX) || !essence.endsWith("+json")) return undefined;
  return essence.slice(VENDOR_PREFIX.length, -"+json".length);
}

/** True when a Content-Type denotes JSON the platform accepts (vendor JSON types or application/json). */
export function isJsonContentType(value: string | undefined): boolean {
  if (!value) return true; // devices in the wild omit it; the body decides
  const essence = value.split(";")[0]!.trim().toLowerCase();
  return (
    essence === "application/json" ||
    essence === "text/plain" ||
    (essence.startsWith(VENDOR_PREFIX) && essence.endsWith("+json"))
  );
}

/** Whether the response should use plain application/json: the client asked for it and not for the vendor type. */
export function prefersPlainJson(accept: string | undefined): boolean {
  if (!accept) return false;
  const entries = accept.split(",").map((e) => e.split(";")[0]!.trim().toLowerCase());
  return (
    entries.includes("application/json") &&
    !entries.some((e) => e.startsWith(VENDOR_PREFIX) && e !== `${VENDOR_PREFIX}error+json`)
  );
}
