import { duplicate, notFound, PlatformError } from "../../http/errors.js";

/** Longest type or value we store; longer ones are refused with 422 rather than bloating indexes. */
const MAX_ID_LENGTH = 1000;

export const externalIdNotFound = (type: string, value: string) =>
  notFound("identity", `External id not found; external id = ID [type=${type}, value=${value}]`);

export const externalIdTaken = (type: string, value: string) =>
  duplicate("identity", `ID [type=${type}, value=${value}] was already bound to different Global ID.`);

/** Checks the type/value pair of a binding request; the same rules apply to `externalIds` on object creation. */
export function validateExternalId(type: string, value: string, resource = "identity"): void {
  if (type.length > MAX_ID_LENGTH || value.length > MAX_ID_LENGTH)
    throw new PlatformError(
      422,
      `${resource}/Invalid Data`,
      `External id type and value are limited to ${MAX_ID_LENGTH} characters`,
    );
}
