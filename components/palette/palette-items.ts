import type { PaletteHitDto } from "@/lib/schemas/search";
import type { PaletteAction } from "./palette-context";
import { bestScore, matchScore, rankSections } from "./rank";
import type { RecentItem } from "./recent";
import type { PaletteSearchState } from "./use-palette-search";

export const SECTION_RECENT = "Recent";
export const SECTION_PAGES = "Pages";
export const SECTION_DEVICES = "Devices and groups";
/** Ties between sections: page actions first (they are what the page is about), then these. */
const SECTION_ORDER = [SECTION_RECENT, SECTION_PAGES, SECTION_DEVICES];

export type ItemIcon = "action" | "page" | "device" | "agent" | "group" | "recent";

/** One row of the palette: where it leads (`href`) or what it does (`run`). */
export interface PaletteItem {
  /** Unique in the list; also the base of the option's DOM id. */
  key: string;
  section: string;
  label: string;
  detail?: string;
  icon: ItemIcon;
  score: number;
  href?: string;
  /** Remembered among the recent items when chosen. */
  remember?: RecentItem;
  run?: () => void;
}

export interface PalettePage {
  href: string;
  label: string;
}

const KIND_WORD = { device: "Device", agent: "Agent", group: "Group" } as const;

function hitDetail(hit: PaletteHitDto): string {
  const kind = KIND_WORD[hit.kind];
  if (hit.match === "id") return `${kind} · id ${hit.id}`;
  if (hit.match === "externalId" && hit.externalId)
    return `${kind} · ${hit.externalId.type} ${hit.externalId.value}`;
  return `${kind} · id ${hit.id}`;
}

export const hitRecent = (hit: PaletteHitDto): RecentItem => ({
  kind: hit.kind === "group" ? "group" : "device",
  id: hit.id,
  label: hit.name ?? `${KIND_WORD[hit.kind]} ${hit.id}`,
  href: `/devices/${hit.id}`,
});

const pageRecent = (page: PalettePage): RecentItem => ({
  kind: "page",
  id: page.href,
  label: page.label,
  href: page.href,
});

/**
 * Everything the palette shows for `query`, in sections: with no text the recent items, the page's actions and
 * the pages; with text whatever matches it, devices and groups from the platform included, best first.
 */
export function paletteSections(input: {
  query: string;
  actions: readonly PaletteAction[];
  pages: readonly PalettePage[];
  recent: readonly RecentItem[];
  search: PaletteSearchState;
}): { section: string; items: PaletteItem[] }[] {
  const q = input.query.trim();
  const items: PaletteItem[] = [];
  input.recent.forEach((r, i) =>
    items.push({
      key: `recent-${r.kind}-${r.id}`,
      section: SECTION_RECENT,
      label: r.label,
      detail: r.kind === "page" ? "Page" : `${r.kind === "group" ? "Group" : "Device"} · id ${r.id}`,
      icon: "recent",
      // Newest first when nothing is typed.
      score: q === "" ? 100 - i : bestScore(q, r.label, [r.id]),
      href: r.href,
      remember: r,
    }),
  );
  for (const a of input.actions)
    items.push({
      key: `action-${a.id}`,
      section: a.section,
      label: a.label,
      detail: a.hint,
      icon: "action",
      score: q === "" ? 50 : bestScore(q, a.label, a.keywords),
      run: a.run,
    });
  for (const p of input.pages)
    items.push({
      key: `page-${p.href}`,
      section: SECTION_PAGES,
      label: p.label,
      detail: "Page",
      icon: "page",
      score: q === "" ? 40 : bestScore(q, p.label, [p.href.slice(1)]),
      href: p.href,
      remember: pageRecent(p),
    });

  const shownRecent = new Set(
    items.filter((i) => i.section === SECTION_RECENT && i.score > 0).map((i) => i.key),
  );
  const search = input.search;
  const result =
    search.status === "done" ? search.result : search.status === "loading" ? search.previous : null;
  for (const hit of result?.items ?? []) {
    const remember = hitRecent(hit);
    if (shownRecent.has(`recent-${remember.kind}-${hit.id}`)) continue;
    items.push({
      key: `hit-${hit.id}`,
      section: SECTION_DEVICES,
      label: remember.label,
      detail: hitDetail(hit),
      icon: hit.kind,
      // Exact id and external id matches beat everything; a name at least shows up (the platform found it).
      score: hit.match === "name" ? Math.max(matchScore(hit.name ?? "", q), 30) : 100,
      href: remember.href,
      remember,
    });
  }
  return rankSections(items, SECTION_ORDER);
}
