import { memberParamsSchema } from "@/lib/schemas/device-tree";
import { noContent, route, validate } from "@/lib/server/route";
import { removeMember } from "@/lib/server/services/groups";

// DELETE /api/groups/[id]/members/[childId] – takes the object out of the group (the reference only).
export const DELETE = route<{ id: string; childId: string }>(
  { session: "required" },
  async ({ params, platform }) => {
    const { id, childId } = validate(memberParamsSchema, params);
    await removeMember(platform(), id, childId);
    return noContent();
  },
);
