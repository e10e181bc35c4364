import "server-only";
import type {
  CreateGroupInput,
  GroupListDto,
  GroupListQuery,
  GroupMembersInput,
  MemberResult,
  TreeNodeDto,
} from "@/lib/schemas/device-tree";
import { mapLimit } from "../concurrency";
import { ApiError, UpstreamError, UpstreamUnavailableError, fromUpstream } from "../errors";
import { body, type PlatformClient } from "../upstream/client";
import { TREE_FLAGS, getNode, queryString, toTreeNode } from "./device-tree";

/** Platform calls in flight for one add or move. */
const CONCURRENCY = 8;

const REFERENCE_TYPE = "application/vnd.com.nsn.cumulocity.managedObjectReference+json";
const MANAGED_OBJECT_TYPE = "application/vnd.com.nsn.cumulocity.managedObject+json";

/** The group, or 404 / 422 in the BFF's words when the id names nothing or something else. */
async function requireGroup(platform: PlatformClient, id: string, field: string): Promise<TreeNodeDto> {
  let node: TreeNodeDto;
  try {
    node = await getNode(platform, id);
  } catch (err) {
    if (err instanceof UpstreamError && err.status === 404)
      throw new ApiError("not_found", `There is no group with id ${id}.`);
    throw err;
  }
  if (node.kind !== "group")
    throw new ApiError("invalid_input", `${node.name ?? id} is not a group.`, {
      fields: { [field]: "Not a group" },
    });
  return node;
}

/** Groups (and subgroups) by name, for the pickers of the group dialogs. */
export async function listGroups(platform: PlatformClient, query: GroupListQuery): Promise<GroupListDto> {
  const byName = query.search ? ` and (name eq ${queryString(`*${query.search}*`)})` : "";
  const page = body(
    await platform.GET("/inventory/managedObjects", {
      params: {
        query: {
          query: `$filter=(has(c8y_IsDeviceGroup)${byName}) $orderby=name`,
          pageSize: query.pageSize + 1,
          ...TREE_FLAGS,
        },
      },
    }),
  );
  return {
    items: page.managedObjects.slice(0, query.pageSize).map(toTreeNode),
    hasMore: page.managedObjects.length > query.pageSize,
  };
}

/**
 * A root group (type c8y_DeviceGroup) or a subgroup (c8y_DeviceSubGroup) created and linked below its parent in
 * one call (POST childAssets with a managed object body), so a failure never leaves an orphaned group.
 */
export async function createGroup(platform: PlatformClient, input: CreateGroupInput): Promise<TreeNodeDto> {
  if (input.parentId === undefined) {
    const created = body(
      await platform.POST("/inventory/managedObjects", {
        body: { name: input.name, type: "c8y_DeviceGroup", c8y_IsDeviceGroup: {} },
        headers: { "content-type": MANAGED_OBJECT_TYPE },
      }),
    );
    if (!("id" in created) || "managedObjects" in created)
      throw new UpstreamUnavailableError("group create answered without the object");
    return toTreeNode(created);
  }
  await requireGroup(platform, input.parentId, "parentId");
  const result = await platform.POST("/inventory/managedObjects/{id}/childAssets", {
    params: { path: { id: input.parentId } },
    body: { name: input.name, type: "c8y_DeviceSubGroup", c8y_IsDeviceGroup: {} },
    headers: { "content-type": MANAGED_OBJECT_TYPE },
  });
  const created = result.data;
  if (created && "id" in created && typeof created.id === "string" && "creationTime" in created)
    return toTreeNode(created);
  // Without a body the new object's id is the last segment of Location (…/childAssets/<id>).
  const id = /\/([0-9]+)\/?$/.exec(result.response.headers.get("location") ?? "")?.[1];
  if (!id) throw new UpstreamUnavailableError("subgroup create answered without the object or its location");
  return getNode(platform, id);
}

/** A failed row in the BFF's words; an upstream 401 ends the session for the whole request instead. */
function rowFailure(id: string, err: unknown, prefix = ""): MemberResult {
  if (err instanceof UpstreamError) {
    if (err.status === 401) throw err;
    const mapped = fromUpstream(err);
    return { id, ok: false, code: mapped.code, error: `${prefix}${mapped.message}` };
  }
  if (err instanceof UpstreamUnavailableError)
    return {
      id,
      ok: false,
      code: "upstream_unavailable",
      error: `${prefix}The platform could not be reached.`,
    };
  throw err;
}

async function link(
  platform: PlatformClient,
  groupId: string,
  childId: string,
): Promise<"added" | "already"> {
  try {
    await platform.POST("/inventory/managedObjects/{id}/childAssets", {
      params: { path: { id: groupId } },
      body: { managedObject: { id: childId } },
      headers: { "content-type": REFERENCE_TYPE },
    });
    return "added";
  } catch (err) {
    // Linking twice is a conflict upstream and "already there" for the operator (docs/platform-api.md §0a).
    if (err instanceof UpstreamError && err.status === 409) return "already";
    throw err;
  }
}

/**
 * Adds objects to a group (child asset references), each on its own so one bad id does not block the rest. With
 * `fromGroupId` it is a move: an object that is in the target group afterwards is taken out of the source group.
 * Objects themselves are never changed.
 */
export async function addMembers(
  platform: PlatformClient,
  groupId: string,
  input: GroupMembersInput,
): Promise<MemberResult[]> {
  const from = input.fromGroupId;
  if (from === groupId)
    throw new ApiError("invalid_input", "Moving within the same group changes nothing.", {
      fields: { fromGroupId: "Same as the target group" },
    });
  await requireGroup(platform, groupId, "id");
  if (from !== undefined) await requireGroup(platform, from, "fromGroupId");
  return mapLimit([...new Set(input.ids)], CONCURRENCY, async (id): Promise<MemberResult> => {
    let linked: "added" | "already";
    try {
      linked = await link(platform, groupId, id);
    } catch (err) {
      return rowFailure(id, err);
    }
    if (from === undefined) return { id, ok: true, outcome: linked === "added" ? "added" : "already_member" };
    try {
      await unlink(platform, from, id);
      return { id, ok: true, outcome: "moved" };
    } catch (err) {
      // It was not in the source group: the move still ends where the operator wanted it.
      if (err instanceof ApiError && err.code === "not_found") return { id, ok: true, outcome: "added" };
      return rowFailure(id, err, "Added to the group, but still in the old one: ");
    }
  });
}

/** Takes the reference away; 404 when the object is not (or no longer) in that group. */
async function unlink(platform: PlatformClient, groupId: string, childId: string): Promise<void> {
  try {
    await platform.DELETE("/inventory/managedObjects/{id}/childAssets/{childId}", {
      params: { path: { id: groupId, childId } },
    });
  } catch (err) {
    // The platform answers 422 "… is not a child of …" (docs/platform-api.md §4.8): for the operator, nothing to remove.
    if (err instanceof UpstreamError && err.status === 422)
      throw new ApiError("not_found", `Object ${childId} is not in group ${groupId}.`);
    throw err;
  }
}

/** Removes one object from a group; the object itself stays. */
export async function removeMember(
  platform: PlatformClient,
  groupId: string,
  childId: string,
): Promise<void> {
  await requireGroup(platform, groupId, "id");
  await unlink(platform, groupId, childId);
}
