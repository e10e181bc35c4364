import type { LiveTopic } from "@/lib/schemas/events";
import type { SessionUserDto } from "@/lib/schemas/session";

/**
 * Which topics a console page follows, decided by its path, so pages go live without wiring of their own. A view
 * that needs more (another device's operations, say) adds topics with `useLiveTopics`.
 *
 * | path | topics |
 * | --- | --- |
 * | `/registrations` | `registrations` |
 * | `/devices` | `devices:*` (the tree: new devices, renames, moves) |
 * | `/devices/<id>` | `devices:<id>`, `operations:<id>` |
 * | `/operations` | `operations:*` |
 * | `/operations/bulk` | `bulkOperations:*` |
 * | `/operations/bulk/<id>` | `bulkOperations:<id>`, `operations:*` (its single operations, by their bulkOperationId) |
 *
 * Topics the operator's roles do not cover are left out (the server would refuse the whole stream).
 */
export function topicsForPath(pathname: string, can: SessionUserDto["can"]): LiveTopic[] {
  const segments = pathname.split("/").filter(Boolean);
  const [section, id] = segments;
  const out: LiveTopic[] = [];
  const operations = can.readRegistrations; // device control read: registrations and operations alike
  if (section === "registrations" && can.readRegistrations) out.push("registrations");
  const bulk = section === "operations" && id === "bulk";
  if (section === "operations" && !bulk && operations) out.push("operations:*");
  if (bulk && can.readBulkOperations) {
    const bulkId = segments[2];
    if (bulkId !== undefined && /^[A-Za-z0-9_-]{1,64}$/.test(bulkId)) {
      out.push(`bulkOperations:${bulkId}`);
      if (operations) out.push("operations:*");
    } else out.push("bulkOperations:*");
  }
  if (section === "devices") {
    const validId = id !== undefined && /^[A-Za-z0-9_-]{1,64}$/.test(id);
    if (!validId && can.readDevices) out.push("devices:*");
    if (validId && can.readDevices) out.push(`devices:${id}`);
    if (validId && operations) out.push(`operations:${id}`);
  }
  return out;
}

/** Topics a user may follow at all. */
export function allowedTopics(topics: readonly LiveTopic[], can: SessionUserDto["can"]): LiveTopic[] {
  return topics.filter((t) =>
    t.startsWith("devices:")
      ? can.readDevices
      : t.startsWith("bulkOperations:")
        ? can.readBulkOperations
        : can.readRegistrations,
  );
}
