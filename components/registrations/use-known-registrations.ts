"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import type { RegistrationStatus } from "@/lib/schemas/registrations";
import { registrationQueries } from "@/lib/queries/registrations";

const EMPTY = new Map<string, RegistrationStatus>();

/**
 * Every existing request (id → status), read only once the operator starts entering ids, so duplicates of
 * known requests can be flagged before anything is sent.
 */
export function useKnownRegistrations(enabled: boolean) {
  const query = useQuery({ ...registrationQueries.known(), enabled });
  const known = useMemo(() => (query.data ? new Map(query.data) : EMPTY), [query.data]);
  return {
    known,
    checking: enabled && query.isPending,
    /** The check could not run; the platform still refuses duplicates one by one. */
    failed: query.isError,
  };
}
