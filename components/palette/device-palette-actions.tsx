"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { operationQueries } from "@/lib/queries/operations";
import type { DeviceDto } from "@/lib/schemas/device";
import { KIND_FRAGMENTS, KIND_LABELS, OPERATION_KINDS, type OperationKind } from "@/lib/schemas/operations";
import { DEVICE_TABS, stepTab, type DeviceTab } from "@/components/device-page/use-device-tab";
import { SendOperationDialog } from "@/components/operations/send-operation-dialog";
import { useSessionUser } from "@/components/shell/session-user-provider";
import type { Shortcut } from "@/components/shortcuts/key-sequences";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ErrorState } from "@/components/ui/error-state";
import { usePaletteActions, useShortcuts, type PaletteAction } from "./palette-context";
import { recentStorageKey, rememberRecent } from "./recent";

const SECTION = "This device";
const tabLabel = (tab: DeviceTab) => tab[0]!.toUpperCase() + tab.slice(1);

/** The kinds the device lists in c8y_SupportedOperations, in the console's order. */
export function supportedKinds(fragments: DeviceDto["fragments"]): OperationKind[] {
  const listed = fragments.c8y_SupportedOperations;
  const ops = Array.isArray(listed) ? listed.filter((o): o is string => typeof o === "string") : [];
  return OPERATION_KINDS.filter((kind) => KIND_FRAGMENTS[kind].some((f) => ops.includes(f)));
}

/**
 * What the device page adds to the palette and the shortcuts: open a tab, send an operation the device supports
 * (the device page's own send dialog, on its Operations tab, where the operation then shows), `]` and `[` for
 * the next and previous tab. The page also becomes a recent item.
 */
export function DevicePaletteActions({
  device,
  tab,
  onTab,
}: {
  device: DeviceDto;
  tab: DeviceTab;
  onTab: (tab: DeviceTab) => void;
}) {
  const user = useSessionUser();
  const [kind, setKind] = useState<OperationKind | null>(null);
  const context = useQuery({ ...operationQueries.context(device.id), enabled: kind !== null });
  const name = device.name ?? `Device ${device.id}`;
  const recentKey = recentStorageKey(user.tenant, user.username);
  const kinds = useMemo(
    () => (user.can.adminOperations && !device.isGroup ? supportedKinds(device.fragments) : []),
    [user.can.adminOperations, device.isGroup, device.fragments],
  );

  useEffect(() => {
    rememberRecent(recentKey, {
      kind: device.isGroup ? "group" : "device",
      id: device.id,
      label: name,
      href: `/devices/${device.id}`,
    });
  }, [recentKey, device.id, device.isGroup, name]);

  const actions = useMemo<PaletteAction[]>(
    () => [
      ...kinds.map((k) => ({
        id: `device.send-${k}`,
        label: `Send ${KIND_LABELS[k].toLowerCase()} to ${name}`,
        section: SECTION,
        keywords: [k, KIND_LABELS[k], ...KIND_FRAGMENTS[k], ...(k === "restart" ? ["reboot"] : [])],
        hint: "Operation",
        run: () => {
          onTab("operations");
          setKind(k);
        },
      })),
      ...DEVICE_TABS.filter((t) => t !== tab).map((t) => ({
        id: `device.tab-${t}`,
        label: `Open the ${tabLabel(t)} tab`,
        section: SECTION,
        keywords: [t, "tab"],
        run: () => onTab(t),
      })),
    ],
    [kinds, name, tab, onTab],
  );
  usePaletteActions(actions);

  const shortcuts = useMemo<Shortcut[]>(
    () => [
      {
        id: "device.next-tab",
        keys: "]",
        label: "Next tab",
        section: "On a device page",
        run: () => onTab(stepTab(tab, 1)),
      },
      {
        id: "device.previous-tab",
        keys: "[",
        label: "Previous tab",
        section: "On a device page",
        run: () => onTab(stepTab(tab, -1)),
      },
    ],
    [tab, onTab],
  );
  useShortcuts(shortcuts);

  if (!kind) return null;
  if (context.isError)
    return (
      <Dialog
        open
        onClose={() => setKind(null)}
        title={`${KIND_LABELS[kind]}: ${name}`}
        footer={<Button onClick={() => setKind(null)}>Close</Button>}
      >
        <ErrorState
          error={context.error}
          title="What this device supports could not be loaded"
          className="py-4"
        />
      </Dialog>
    );
  // Until the device's operation context is in, the Operations tab below shows its own loading state.
  if (!context.data) return null;
  return <SendOperationDialog kind={kind} context={context.data} onClose={() => setKind(null)} />;
}
