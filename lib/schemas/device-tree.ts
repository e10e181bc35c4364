import { z } from "zod";
import { errorCodeSchema } from "./common";
import { connectionDtoSchema, connectionFilterSchema } from "./device";

/** A managed object id as the platform makes them: decimal digits (docs/platform-api.md §2.6), bounded. */
export const managedObjectIdSchema = z.string().regex(/^[0-9]{1,19}$/, "Not a managed object id");

/** Path parameters of the tree and group routes, validated together so a bad one is named in `fields`. */
export const idParamsSchema = z.object({ id: managedObjectIdSchema });
export const memberParamsSchema = z.object({ id: managedObjectIdSchema, childId: managedObjectIdSchema });

/**
 * What a row is: a group (c8y_IsDeviceGroup), an agent (com_cumulocity_model_Agent), a device (c8y_IsDevice), or
 * any other inventory object found among a group's assets.
 */
export const nodeKindSchema = z.enum(["group", "agent", "device", "asset"]);
export type NodeKind = z.infer<typeof nodeKindSchema>;

/**
 * The child collection the tree shows below an object: a group's assets (`childAssets`), a device's devices
 * (`childDevices`). Decided by the kind alone, so the browser can ask for a page without reading the parent first.
 */
export const childRelationSchema = z.enum(["assets", "devices"]);
export type ChildRelation = z.infer<typeof childRelationSchema>;

export const relationOf = (kind: NodeKind): ChildRelation => (kind === "group" ? "assets" : "devices");

/** One node of the device tree: what a row shows. */
export const treeNodeDtoSchema = z.object({
  id: managedObjectIdSchema,
  /** null when the object has no name; the UI shows its id instead. */
  name: z.string().nullable(),
  kind: nodeKindSchema,
  type: z.string().nullable(),
  /** Children in the relation the tree shows (relationOf(kind)); null when the platform did not say. */
  childCount: z.number().int().min(0).nullable(),
  /** c8y_SupportedOperations, as the device announced them. */
  supportedOperations: z.array(z.string()),
  /** c8y_Hardware.model. */
  hardwareModel: z.string().nullable(),
  /** Presence (c8y_Connection, c8y_Availability); null for objects the platform does not monitor. */
  connection: connectionDtoSchema.nullable(),
});
export type TreeNodeDto = z.infer<typeof treeNodeDtoSchema>;

/** A page of root nodes: root groups first, then devices that belong to nothing. */
export const rootsPageDtoSchema = z.object({
  items: z.array(treeNodeDtoSchema),
  /** Opaque; pass it back as `cursor` for the next page. null: this was the last page. */
  nextCursor: z.string().nullable(),
});
export type RootsPageDto = z.infer<typeof rootsPageDtoSchema>;

export const TREE_PAGE_SIZE_MAX = 500;

/** `g<page>` or `d<page>`: which root list (groups, devices) and which of its pages. */
export const rootsCursorSchema = z.string().regex(/^[gd][1-9][0-9]{0,5}$/, "Not a cursor from this list");

export const rootsQuerySchema = z.object({
  cursor: rootsCursorSchema.optional(),
  pageSize: z.coerce.number().int().min(1).max(TREE_PAGE_SIZE_MAX).default(100),
});
export type RootsQuery = z.infer<typeof rootsQuerySchema>;

export const childrenQuerySchema = z.object({
  rel: childRelationSchema,
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(TREE_PAGE_SIZE_MAX).default(100),
});
export type ChildrenQuery = z.infer<typeof childrenQuerySchema>;

/** One page of a node's children, addressable by number so a long list can be read from anywhere. */
export const childrenPageDtoSchema = z.object({
  items: z.array(treeNodeDtoSchema),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** All children of the parent in this relation; only on page 1 (the platform counts on request). */
  total: z.number().int().min(0).nullable(),
  /** Whether a later page may hold more (the page was full). */
  hasMore: z.boolean(),
});
export type ChildrenPageDto = z.infer<typeof childrenPageDtoSchema>;

export const searchQuerySchema = z.object({
  q: z.string().trim().min(1, "Type something to search for").max(200),
  /** Look the text up as an external id of this type only (default: the common types). */
  idType: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[^\u0000-\u001f\u007f/\\]+$/, "Not an external id type")
    .optional(),
});
export type SearchQuery = z.infer<typeof searchQuerySchema>;

export const CONNECTION_PAGE_SIZE_MAX = 100;

/** `GET /api/devices/connection?status=…&page=…`: devices in one presence state, by the platform's query. */
export const connectionListQuerySchema = z.object({
  status: connectionFilterSchema,
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(CONNECTION_PAGE_SIZE_MAX).default(50),
});
export type ConnectionListQuery = z.infer<typeof connectionListQuerySchema>;

export const connectionListDtoSchema = z.object({
  items: z.array(treeNodeDtoSchema),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** Devices in this state; null when the platform did not count. */
  total: z.number().int().min(0).nullable(),
  hasMore: z.boolean(),
});
export type ConnectionListDto = z.infer<typeof connectionListDtoSchema>;

export const searchMatchSchema = z.enum(["id", "externalId", "name"]);
export type SearchMatch = z.infer<typeof searchMatchSchema>;

export const searchHitDtoSchema = treeNodeDtoSchema.extend({
  match: searchMatchSchema,
  /** For external id matches: the id's type and value. */
  externalId: z.object({ type: z.string(), value: z.string() }).optional(),
});
export type SearchHitDto = z.infer<typeof searchHitDtoSchema>;

export const searchResultDtoSchema = z.object({
  items: z.array(searchHitDtoSchema),
  /** More objects match the name than were returned: the operator should type more. */
  moreByName: z.boolean(),
});
export type SearchResultDto = z.infer<typeof searchResultDtoSchema>;

/**
 * Every way down the tree to an object: each path runs from a root to the object itself (the last element).
 * An object under several parents (a device in two groups) has several paths; a root has one of length 1.
 */
export const devicePathsDtoSchema = z.object({
  paths: z.array(z.array(treeNodeDtoSchema)),
  /** True when there were more paths than the BFF follows (see docs/device-tree.md). */
  truncated: z.boolean(),
});
export type DevicePathsDto = z.infer<typeof devicePathsDtoSchema>;

// ----- groups ------------------------------------------------------------------------------------------------

export const groupNameSchema = z
  .string()
  .trim()
  .min(1, "Give the group a name")
  .max(254, "Longer than 254 characters")
  .regex(/^[^\u0000-\u001f\u007f]+$/, "Contains control characters");

export const createGroupSchema = z.object({
  name: groupNameSchema,
  /** Creates a subgroup of this group; absent: a root group. */
  parentId: managedObjectIdSchema.optional(),
});
export type CreateGroupInput = z.infer<typeof createGroupSchema>;

export const groupMembersSchema = z.object({
  ids: z.array(managedObjectIdSchema).min(1, "Choose at least one device").max(200),
  /** Move: after adding to this group, take each object out of that group. */
  fromGroupId: managedObjectIdSchema.optional(),
});
export type GroupMembersInput = z.infer<typeof groupMembersSchema>;

export const groupListQuerySchema = z.object({
  search: z.string().trim().max(200).optional(),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type GroupListQuery = z.infer<typeof groupListQuerySchema>;

export const groupListDtoSchema = z.object({ items: z.array(treeNodeDtoSchema), hasMore: z.boolean() });
export type GroupListDto = z.infer<typeof groupListDtoSchema>;

/** One object's outcome in an add or move. */
export const memberResultSchema = z.object({
  id: z.string(),
  ok: z.boolean(),
  /** What happened when ok: added, moved, or it was a member already. */
  outcome: z.enum(["added", "moved", "already_member"]).optional(),
  code: errorCodeSchema.optional(),
  error: z.string().optional(),
});
export type MemberResult = z.infer<typeof memberResultSchema>;
export const memberResultsSchema = z.object({ results: z.array(memberResultSchema) });
