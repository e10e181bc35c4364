/**
 * Tree positions as path keys: the ids from a root down to a node, joined with dots ("10.20.30"). A device under
 * two groups has two keys, so expansion and selection are per position, not per object. "" is above the roots.
 */

export const ROOT_KEY = "";
const KEY = /^[0-9]{1,19}(\.[0-9]{1,19}){0,31}$/;
/** Expanded positions kept in the address bar: enough for any browsing session, short enough for a URL. */
export const MAX_OPEN_IN_URL = 100;

export const isPathKey = (key: string) => KEY.test(key);
export const keyOf = (ids: readonly string[]) => ids.join(".");
export const idsOf = (key: string): string[] => (key === ROOT_KEY ? [] : key.split("."));
export const childKey = (parentKey: string, id: string) =>
  parentKey === ROOT_KEY ? id : `${parentKey}.${id}`;
export const lastIdOf = (key: string) => key.slice(key.lastIndexOf(".") + 1);

export function parentKeyOf(key: string): string {
  const dot = key.lastIndexOf(".");
  return dot < 0 ? ROOT_KEY : key.slice(0, dot);
}

/** The proper ancestors of a position, root first ("1.2.3" → ["1", "1.2"]). */
export function ancestorKeys(key: string): string[] {
  const ids = idsOf(key);
  return ids.slice(0, -1).map((_, i) => keyOf(ids.slice(0, i + 1)));
}

export const isBelow = (key: string, ancestor: string) => key.startsWith(`${ancestor}.`);

export interface TreeUrlState {
  selected: string | null;
  expanded: string[];
}

/**
 * `?sel=<key>&open=<key>,<key>`: the selected position and the expanded ones. The selection's ancestors count as
 * expanded. Anything malformed is dropped rather than failing the page: people edit and share URLs.
 */
export function parseTreeUrl(params: URLSearchParams): TreeUrlState {
  const sel = params.get("sel");
  const selected = sel !== null && isPathKey(sel) ? sel : null;
  const open = (params.get("open") ?? "").split(",").filter(isPathKey).slice(0, MAX_OPEN_IN_URL);
  const expanded = [...new Set([...open, ...(selected ? ancestorKeys(selected) : [])])];
  return { selected, expanded };
}

/** The address-bar form of the tree state, keeping every other parameter; ancestors of the selection are implied. */
export function treeUrlSearch(current: URLSearchParams, state: TreeUrlState): string {
  const params = new URLSearchParams(current);
  params.delete("sel");
  params.delete("open");
  if (state.selected) params.set("sel", state.selected);
  const implied = new Set(state.selected ? ancestorKeys(state.selected) : []);
  const open = state.expanded.filter((k) => !implied.has(k)).slice(-MAX_OPEN_IN_URL);
  if (open.length > 0) params.set("open", open.join(","));
  // Commas need no escaping in a query string; left readable, the keys stay easy to share and edit.
  const text = params.toString().replaceAll("%2C", ",");
  return text ? `?${text}` : "";
}
