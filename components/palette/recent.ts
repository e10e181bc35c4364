import { z } from "zod";

/**
 * Places the operator went to through the palette or opened lately, kept in localStorage per tenant and user.
 * Only ids, names and console paths: nothing that grants access.
 */
export const recentItemSchema = z.object({
  kind: z.enum(["device", "group", "page"]),
  /** Device or group id, or the page's path. */
  id: z.string().max(200),
  label: z.string().max(300),
  /** A console path: starts with one "/", never another origin. */
  href: z
    .string()
    .regex(/^\/(?!\/)[^\s\\]*$/)
    .max(500),
});
export type RecentItem = z.infer<typeof recentItemSchema>;

export const RECENT_MAX = 8;

export const recentStorageKey = (tenant: string, username: string) =>
  `c8y-console:palette-recent:${tenant}/${username}`;

/** The remembered items, newest first; [] when there are none, storage is off, or what is stored is not ours. */
export function readRecent(key: string): RecentItem[] {
  try {
    const raw = window.localStorage.getItem(key);
    if (!raw) return [];
    const parsed = z.array(recentItemSchema).safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data.slice(0, RECENT_MAX) : [];
  } catch {
    return [];
  }
}

/** Puts `item` first (once), keeping at most RECENT_MAX. Storage that is full or off is not an error. */
export function rememberRecent(key: string, item: RecentItem): void {
  if (!recentItemSchema.safeParse(item).success) return;
  const rest = readRecent(key).filter((r) => !(r.kind === item.kind && r.id === item.id));
  try {
    window.localStorage.setItem(key, JSON.stringify([item, ...rest].slice(0, RECENT_MAX)));
  } catch {
    // Private mode or a full quota: the palette works without recent items.
  }
}
