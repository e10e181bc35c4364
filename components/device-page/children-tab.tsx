"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { describeError } from "@/components/ui/error-state";
import { useToast } from "@/components/ui/toast";
import { deviceKeys, unlinkChild } from "@/lib/queries/device";
import { deviceTreeKeys } from "@/lib/queries/device-tree";
import type { ChildKind, DeviceDto, ObjectSummary } from "@/lib/schemas/device";
import { ChildListCard } from "./child-list-card";
import { DeleteDeviceDialog } from "./delete-device-dialog";
import { KIND_WORDS, LinkChildDialog } from "./link-child-dialog";

type Target = { kind: ChildKind; child: ObjectSummary };

/** Child devices and child assets: paged lists, link an existing object, unlink, delete. */
export function ChildrenTab({ device, canEdit }: { device: DeviceDto; canEdit: boolean }) {
  const [linking, setLinking] = useState<ChildKind | null>(null);
  const [unlinking, setUnlinking] = useState<Target | null>(null);
  const [deleting, setDeleting] = useState<ObjectSummary | null>(null);
  const queryClient = useQueryClient();
  const toast = useToast();
  const parentName = device.name ?? `object ${device.id}`;
  const refresh = (childId: string) => {
    void queryClient.invalidateQueries({ queryKey: deviceKeys.one(device.id) });
    void queryClient.invalidateQueries({ queryKey: deviceKeys.one(childId) });
    void queryClient.invalidateQueries({ queryKey: deviceTreeKeys.all });
  };
  const unlink = useMutation({
    mutationFn: ({ kind, child }: Target) => unlinkChild(device.id, kind, child.id),
    onSuccess: (_, { child }) =>
      toast({
        tone: "success",
        title: `${child.name ?? child.id} unlinked`,
        description: "The object itself stays in the inventory.",
      }),
    onError: (error, { child }) =>
      toast({
        tone: "error",
        title: `Could not unlink ${child.name ?? child.id}`,
        description: describeError(error).message,
      }),
    onSettled: (_, __, { child }) => refresh(child.id),
  });

  const card = (kind: ChildKind) => (
    <ChildListCard
      deviceId={device.id}
      kind={kind}
      canEdit={canEdit}
      onLink={() => setLinking(kind)}
      onUnlink={(child) => setUnlinking({ kind, child })}
      onDelete={setDeleting}
    />
  );
  return (
    <div className="flex flex-col gap-6">
      {card("devices")}
      {card("assets")}
      {linking && <LinkChildDialog deviceId={device.id} kind={linking} onClose={() => setLinking(null)} />}
      <ConfirmDialog
        open={unlinking !== null}
        title={`Unlink ${unlinking?.child.name ?? unlinking?.child.id ?? ""} from ${parentName}?`}
        confirmLabel="Unlink"
        tone="primary"
        pending={unlink.isPending}
        onCancel={() => setUnlinking(null)}
        onConfirm={() => unlinking && unlink.mutate(unlinking, { onSettled: () => setUnlinking(null) })}
      >
        Only the link is removed: the object itself stays in the inventory with all its data
        {unlinking?.kind === "devices"
          ? `, but it is no longer a ${KIND_WORDS.devices.one} here and operations for it no longer go through this device.`
          : "."}
      </ConfirmDialog>
      {deleting && (
        <DeleteDeviceDialog
          target={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => {
            toast({ tone: "success", title: `${deleting.name ?? deleting.id} deleted` });
            refresh(deleting.id);
            setDeleting(null);
          }}
        />
      )}
    </div>
  );
}
