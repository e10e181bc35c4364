"use client";

import { useCallback, useMemo, useState } from "react";
import { applyChanges, diffFragments, effectiveChanges, type FragmentChange } from "@/lib/fragments/diff";
import type { DeviceDto } from "@/lib/schemas/device";

/** The editable view of an object: its name next to its fragments, the keys an update can carry. */
export function editableRecord(device: DeviceDto): Record<string, unknown> {
  return device.name === null ? { ...device.fragments } : { name: device.name, ...device.fragments };
}

export interface DeviceDrafts {
  /** The version edits are made against: pinned at the first edit, so a refetch cannot move it underneath. */
  base: DeviceDto;
  /** The latest version the page has seen has moved past the base (someone else changed the object). */
  baseIsStale: boolean;
  /** The value a key has with the edits applied; undefined when it is (or will be) absent. */
  valueOf: (key: string) => unknown;
  /** Whether the key has an edit that changes something. */
  isChanged: (key: string) => boolean;
  /** Exactly what a save sends: key → new value, null to remove. */
  changes: Record<string, unknown>;
  /** What a save would send against another version (after a conflict: only what still differs from it). */
  changesAgainst: (device: DeviceDto) => Record<string, unknown>;
  /** The same as a diff of the base against the result, fragment by fragment. */
  diff: FragmentChange[];
  set: (key: string, value: unknown) => void;
  remove: (key: string) => void;
  revert: (key: string) => void;
  discardAll: () => void;
  /** Keep the edits but make them against this newer version (after a conflict). */
  rebase: (current: DeviceDto) => void;
}

/**
 * Edits of one object, collected until the operator reviews and saves them together. Only keys whose value
 * really differs from the base count as changes, so a save never rewrites what the operator did not change.
 */
export function useDeviceDrafts(latest: DeviceDto): DeviceDrafts {
  const [state, setState] = useState<{ pinned: DeviceDto | null; drafts: Record<string, unknown> }>({
    pinned: null,
    drafts: {},
  });
  const { drafts } = state;
  // Without edits the page simply follows the latest version.
  const pinned = Object.keys(drafts).length > 0 ? state.pinned : null;
  const base = pinned ?? latest;

  const baseRecord = useMemo(() => editableRecord(base), [base]);
  const changes = useMemo(() => effectiveChanges(baseRecord, drafts), [baseRecord, drafts]);
  const diff = useMemo(
    () => diffFragments(baseRecord, applyChanges(baseRecord, changes)),
    [baseRecord, changes],
  );

  const set = useCallback(
    (key: string, value: unknown) =>
      setState((s) => ({
        // The first edit pins the version it is made against.
        pinned: Object.keys(s.drafts).length > 0 && s.pinned ? s.pinned : latest,
        drafts: { ...s.drafts, [key]: value },
      })),
    [latest],
  );
  const revert = useCallback(
    (key: string) =>
      setState((s) => {
        const next = { ...s.drafts };
        delete next[key];
        return { pinned: s.pinned, drafts: next };
      }),
    [],
  );
  const discardAll = useCallback(() => setState({ pinned: null, drafts: {} }), []);

  return {
    base,
    baseIsStale: pinned !== null && pinned.lastUpdated !== latest.lastUpdated,
    valueOf: (key) => (Object.hasOwn(drafts, key) ? (drafts[key] ?? undefined) : baseRecord[key]),
    isChanged: (key) => Object.hasOwn(changes, key),
    changes,
    changesAgainst: (device) => effectiveChanges(editableRecord(device), drafts),
    diff,
    set,
    remove: (key) => set(key, null),
    revert,
    discardAll,
    rebase: (current) => setState((s) => ({ pinned: current, drafts: s.drafts })),
  };
}
