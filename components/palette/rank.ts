/**
 * How well `query` finds `text`, 0 for not at all: the whole text, its start, the start of a word, anywhere in it,
 * or its letters in order (a typo-free abbreviation such as "regs" for Registrations). Case-insensitive.
 */
export function matchScore(text: string, query: string): number {
  const t = text.toLowerCase();
  const q = query.trim().toLowerCase();
  if (q === "") return 0;
  if (t === q) return 100;
  if (t.startsWith(q)) return 80;
  const at = t.indexOf(q);
  if (at > 0 && /[\s\-_./:([]/.test(t[at - 1]!)) return 70;
  if (at > 0) return 50;
  let i = 0;
  for (const ch of t) if (ch === q[i]) i++;
  return i === q.length && q.length >= 2 ? 20 : 0;
}

/** The best score of the label and its keywords. */
export function bestScore(query: string, label: string, keywords: readonly string[] = []): number {
  return Math.max(matchScore(label, query), ...keywords.map((k) => matchScore(k, query)));
}

export interface Ranked<S extends string> {
  section: S;
  score: number;
}

/**
 * Orders sections by their best item, items by score inside a section; ties keep `sectionOrder` and the
 * original order. Items scoring 0 are left out.
 */
export function rankSections<S extends string, T extends Ranked<S>>(
  items: readonly T[],
  sectionOrder: readonly S[],
): { section: S; items: T[] }[] {
  const bySection = new Map<S, T[]>();
  for (const item of items) {
    if (item.score <= 0) continue;
    const list = bySection.get(item.section) ?? [];
    list.push(item);
    bySection.set(item.section, list);
  }
  const sections = [...bySection.entries()].map(([section, list]) => ({
    section,
    // Array.prototype.sort is stable: equal scores keep their order.
    items: [...list].sort((a, b) => b.score - a.score),
  }));
  return sections.sort(
    (a, b) =>
      b.items[0]!.score - a.items[0]!.score ||
      sectionOrder.indexOf(a.section) - sectionOrder.indexOf(b.section),
  );
}
