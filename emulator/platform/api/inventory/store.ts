import type { Statement } from "better-sqlite3";
import type { Db } from "../../store/db.js";

export const CHILD_KINDS = ["childDevices", "childAssets", "childAdditions"] as const;
export type ChildKind = (typeof CHILD_KINDS)[number];
export const PARENT_KINDS = ["deviceParents", "assetParents", "additionParents"] as const;
export type ParentKind = (typeof PARENT_KINDS)[number];

export const PARENT_OF: Record<ChildKind, ParentKind> = {
  childDevices: "deviceParents",
  childAssets: "assetParents",
  childAdditions: "additionParents",
};
export const CHILD_OF: Record<ParentKind, ChildKind> = {
  deviceParents: "childDevices",
  assetParents: "childAssets",
  additionParents: "childAdditions",
};

/** A row of managed_objects; `fragments` is the JSON of the custom top-level fragments. */
export interface MoRow {
  id: number;
  type: string | null;
  name: string | null;
  owner: string;
  creation_time: string;
  last_updated: string;
  fragments: string;
}

/** A reference of one object (referencesOf): `up` 0 for a child, 1 for a parent; `ord` orders within a kind. */
export interface ReferenceRow {
  up: 0 | 1;
  kind: ChildKind;
  target: number;
  name: string | null;
  ord: number;
}

export interface RefRow {
  /** The object whose collection holds the reference (parent for child lists, child for parent lists). */
  holder: number;
  kind: ChildKind;
  /** The referenced object. */
  target: number;
  name: string | null;
}

/** The JSON array parameter for `IN (SELECT value FROM json_each(?))`: one statement for any number of ids. */
export const idsParam = (ids: readonly number[]) => JSON.stringify(ids);

/**
 * Storage of managed objects and their references. Ids cross this boundary as numbers (the table key); the API
 * layer turns them into the decimal strings of the platform.
 */
export class InventoryStore {
  private readonly s: Record<string, Statement>;

  constructor(readonly db: Db) {
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      get: p("SELECT * FROM managed_objects WHERE id = ?"),
      getMany: p("SELECT * FROM managed_objects WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id"),
      insert: p(
        "INSERT INTO managed_objects (id, type, name, owner, creation_time, last_updated, fragments) " +
          "VALUES (@id, @type, @name, @owner, @creation_time, @last_updated, @fragments)",
      ),
      update: p(
        "UPDATE managed_objects SET type = @type, name = @name, owner = @owner, last_updated = @last_updated, " +
          "fragments = @fragments WHERE id = @id",
      ),
      addFragment: p("INSERT OR IGNORE INTO mo_fragments (fragment, mo_id) VALUES (?, ?)"),
      removeFragment: p("DELETE FROM mo_fragments WHERE fragment = ? AND mo_id = ?"),
      deleteMany: p("DELETE FROM managed_objects WHERE id IN (SELECT value FROM json_each(?))"),
      hasFragment: p("SELECT 1 FROM mo_fragments WHERE fragment = ? AND mo_id = ?"),
      link: p(
        "INSERT INTO mo_refs (parent_id, kind, child_id, seq) VALUES (@parent, @kind, @child, " +
          "(SELECT COALESCE(MAX(seq), 0) + 1 FROM mo_refs WHERE parent_id = @parent AND kind = @kind))",
      ),
      unlink: p("DELETE FROM mo_refs WHERE parent_id = ? AND kind = ? AND child_id = ?"),
      isLinked: p("SELECT 1 FROM mo_refs WHERE parent_id = ? AND kind = ? AND child_id = ?"),
      // Whether `to` is `from` or below it over any kind of reference (links must never close a cycle).
      reaches: p(`
        WITH RECURSIVE down(id) AS (
          SELECT ? UNION SELECT r.child_id FROM mo_refs r JOIN down ON r.parent_id = down.id
        )
        SELECT 1 FROM down WHERE id = ? LIMIT 1`),
      children: p(`
        SELECT r.parent_id AS holder, r.kind, r.child_id AS target, m.name
        FROM mo_refs r JOIN managed_objects m ON m.id = r.child_id
        WHERE r.parent_id IN (SELECT value FROM json_each(?))
        ORDER BY r.parent_id, r.kind, r.seq`),
      // One object's direct references both ways in one statement (the GET of one object). Unordered: a sort
      // here costs a temporary B-tree per branch, more than sorting the few rows in referencesOf.
      referencesOf: p(`
        SELECT 0 AS up, r.kind, r.child_id AS target, m.name, r.seq AS ord
        FROM mo_refs r JOIN managed_objects m ON m.id = r.child_id WHERE r.parent_id = @id
        UNION ALL
        SELECT 1, r.kind, r.parent_id, m.name, r.parent_id
        FROM mo_refs r JOIN managed_objects m ON m.id = r.parent_id WHERE r.child_id = @id`),
      childCounts: p(`
        SELECT parent_id AS holder, kind, count(*) AS n FROM mo_refs
        WHERE parent_id IN (SELECT value FROM json_each(?)) GROUP BY parent_id, kind`),
      parents: p(`
        SELECT r.child_id AS holder, r.kind, r.parent_id AS target, m.name
        FROM mo_refs r JOIN managed_objects m ON m.id = r.parent_id
        WHERE r.child_id IN (SELECT value FROM json_each(?))
        ORDER BY r.child_id, r.kind, r.parent_id`),
      // All ancestors per kind of link (deviceParents follow childDevices links only, and so on), nearest first.
      ancestors: p(`
        WITH RECURSIVE up(holder, kind, target, depth) AS (
          SELECT r.child_id, r.kind, r.parent_id, 1 FROM mo_refs r
          WHERE r.child_id IN (SELECT value FROM json_each(?))
          UNION
          SELECT up.holder, up.kind, r.parent_id, up.depth + 1 FROM up
          JOIN mo_refs r ON r.child_id = up.target AND r.kind = up.kind
          WHERE up.depth < 64
        )
        SELECT a.holder, a.kind, a.target, m.name FROM
          (SELECT holder, kind, target, min(depth) AS depth FROM up GROUP BY holder, kind, target) a
        JOIN managed_objects m ON m.id = a.target
        ORDER BY a.holder, a.kind, a.depth, a.target`),
      // Every object below the given ones over the given kinds of link.
      descendants: p(`
        WITH RECURSIVE down(id) AS (
          SELECT value FROM json_each(?)
          UNION
          SELECT r.child_id FROM mo_refs r JOIN down ON r.parent_id = down.id
          WHERE r.kind IN (SELECT value FROM json_each(?))
        )
        SELECT id FROM down`),
      // Sub-groups: child assets that are groups, recursively through groups only.
      subgroups: p(`
        WITH RECURSIVE g(id) AS (
          SELECT ?
          UNION
          SELECT r.child_id FROM mo_refs r JOIN g ON r.parent_id = g.id
          JOIN mo_fragments f ON f.mo_id = r.child_id AND f.fragment = 'c8y_IsDeviceGroup'
          WHERE r.kind = 'childAssets'
        )
        SELECT id FROM g`),
      // Neighbours of a set that stay when the set is deleted: their reference lists change.
      survivingNeighbours: p(`
        SELECT parent_id AS id FROM mo_refs
        WHERE child_id IN (SELECT value FROM json_each(@ids)) AND parent_id NOT IN (SELECT value FROM json_each(@ids))
        UNION
        SELECT child_id FROM mo_refs
        WHERE parent_id IN (SELECT value FROM json_each(@ids)) AND child_id NOT IN (SELECT value FROM json_each(@ids))`),
      // A root group: a group that is nobody's child asset.
      rootGroupNamed: p(`
        SELECT m.id FROM managed_objects m
        JOIN mo_fragments f ON f.mo_id = m.id AND f.fragment = 'c8y_IsDeviceGroup'
        WHERE m.name = ? AND NOT EXISTS (SELECT 1 FROM mo_refs r WHERE r.child_id = m.id AND r.kind = 'childAssets')
        ORDER BY m.id LIMIT 1`),
      subGroupNamed: p(`
        SELECT m.id FROM mo_refs r
        JOIN managed_objects m ON m.id = r.child_id
        JOIN mo_fragments f ON f.mo_id = m.id AND f.fragment = 'c8y_IsDeviceGroup'
        WHERE r.parent_id = ? AND r.kind = 'childAssets' AND m.name = ?
        ORDER BY m.id LIMIT 1`),
      firstDeviceOwnedBy: p(`
        SELECT m.id FROM managed_objects m
        JOIN mo_fragments f ON f.mo_id = m.id AND f.fragment = 'c8y_IsDevice'
        WHERE m.owner = ? ORDER BY m.id LIMIT 1`),
      // Monitored objects with just the parts the availability model reads, each as JSON text (`->`), or NULL.
      presenceRows: p(`
        SELECT m.id, m.fragments -> '$.c8y_RequiredAvailability' AS required,
          m.fragments -> '$.c8y_Availability' AS availability, m.fragments -> '$.c8y_Connection' AS connection
        FROM mo_fragments f JOIN managed_objects m ON m.id = f.mo_id
        WHERE f.fragment = 'c8y_RequiredAvailability' AND json_valid(m.fragments)`),
      ownersOfDevices: p(`
        SELECT DISTINCT m.owner FROM managed_objects m
        JOIN mo_fragments f ON f.mo_id = m.id AND f.fragment = 'c8y_IsDevice'
        WHERE m.id IN (SELECT value FROM json_each(?))`),
    };
  }

  get(id: number): MoRow | undefined {
    return this.s.get!.get(id) as MoRow | undefined;
  }

  /** Rows for the ids, ascending id; unknown ids are skipped. */
  getMany(ids: readonly number[]): MoRow[] {
    if (ids.length === 0) return [];
    return this.s.getMany!.all(idsParam(ids)) as MoRow[];
  }

  insert(row: MoRow, fragmentNames: Iterable<string>): void {
    this.s.insert!.run(row);
    for (const f of fragmentNames) this.s.addFragment!.run(f, row.id);
  }

  update(row: MoRow, added: Iterable<string>, removed: Iterable<string>): void {
    this.s.update!.run(row);
    for (const f of removed) this.s.removeFragment!.run(f, row.id);
    for (const f of added) this.s.addFragment!.run(f, row.id);
  }

  hasFragment(id: number, fragment: string): boolean {
    return this.s.hasFragment!.get(fragment, id) !== undefined;
  }

  /** Deletes the objects; references, fragments and external ids go with them (foreign keys). */
  deleteMany(ids: readonly number[]): void {
    this.s.deleteMany!.run(idsParam(ids));
  }

  link(parent: number, kind: ChildKind, child: number): void {
    this.s.link!.run({ parent, kind, child });
  }

  unlink(parent: number, kind: ChildKind, child: number): boolean {
    return this.s.unlink!.run(parent, kind, child).changes > 0;
  }

  isLinked(parent: number, kind: ChildKind, child: number): boolean {
    return this.s.isLinked!.get(parent, kind, child) !== undefined;
  }

  /** Links unless the reference exists already (registration may meet a link an operator made by hand). */
  ensureLinked(parent: number, kind: ChildKind, child: number): void {
    if (!this.isLinked(parent, kind, child)) this.link(parent, kind, child);
  }

  /** True when `to` is `from` itself or one of its descendants. */
  reaches(from: number, to: number): boolean {
    return this.s.reaches!.get(from, to) !== undefined;
  }

  children(ids: readonly number[]): RefRow[] {
    return this.s.children!.all(idsParam(ids)) as RefRow[];
  }

  /**
   * The direct children (`up` 0) and parents (`up` 1) of one object; within each kind children in link order,
   * parents by id, as `children` and `parents` order them.
   */
  referencesOf(id: number): ReferenceRow[] {
    const rows = this.s.referencesOf!.all({ id }) as ReferenceRow[];
    // Rendering picks the rows of each direction and kind in turn; only the order within one matters.
    if (rows.length > 1) rows.sort((a, b) => a.ord - b.ord);
    return rows;
  }

  childCounts(ids: readonly number[]): { holder: number; kind: ChildKind; n: number }[] {
    return this.s.childCounts!.all(idsParam(ids)) as { holder: number; kind: ChildKind; n: number }[];
  }

  parents(ids: readonly number[], allAncestors: boolean): RefRow[] {
    return (allAncestors ? this.s.ancestors! : this.s.parents!).all(idsParam(ids)) as RefRow[];
  }

  descendants(roots: readonly number[], kinds: readonly ChildKind[]): number[] {
    return (this.s.descendants!.all(idsParam(roots), JSON.stringify(kinds)) as { id: number }[]).map(
      (r) => r.id,
    );
  }

  subgroups(id: number): number[] {
    return (this.s.subgroups!.all(id) as { id: number }[]).map((r) => r.id);
  }

  survivingNeighbours(ids: readonly number[]): number[] {
    return (this.s.survivingNeighbours!.all({ ids: idsParam(ids) }) as { id: number }[]).map((r) => r.id);
  }

  /** The group of that name that is nobody's child asset, lowest id first. */
  rootGroupNamed(name: string): number | undefined {
    return (this.s.rootGroupNamed!.get(name) as { id: number } | undefined)?.id;
  }

  /** The child asset group of `parent` with that name, lowest id first. */
  subGroupNamed(parent: number, name: string): number | undefined {
    return (this.s.subGroupNamed!.get(parent, name) as { id: number } | undefined)?.id;
  }

  /** The lowest-id object marked c8y_IsDevice that the user owns. */
  firstDeviceOwnedBy(owner: string): number | undefined {
    return (this.s.firstDeviceOwnedBy!.get(owner) as { id: number } | undefined)?.id;
  }

  /** Every object with c8y_RequiredAvailability: its id and that fragment, c8y_Availability, c8y_Connection as JSON text. */
  monitored(): PresenceRow[] {
    return this.s.presenceRows!.all() as PresenceRow[];
  }

  /** Owners of the devices (objects with c8y_IsDevice) among the ids. */
  deviceOwners(ids: readonly number[]): string[] {
    return (this.s.ownersOfDevices!.all(idsParam(ids)) as { owner: string }[]).map((r) => r.owner);
  }
}

const stores = new WeakMap<Db, InventoryStore>();

/** One store (one set of prepared statements) per database, shared by the inventory and identity modules. */
export function inventoryStore(db: Db): InventoryStore {
  let s = stores.get(db);
  if (!s) stores.set(db, (s = new InventoryStore(db)));
  return s;
}

export interface PresenceRow {
  id: number;
  required: string | null;
  availability: string | null;
  connection: string | null;
}
