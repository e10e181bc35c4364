"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Fingerprint, Trash2 } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { describeError, ErrorState } from "@/components/ui/error-state";
import { TableSkeleton } from "@/components/ui/skeleton";
import { Table, TableCaption, TBody, THead, Td, Th, Tr } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { deviceKeys, deviceQueries, removeExternalId } from "@/lib/queries/device";
import type { ExternalIdDto } from "@/lib/schemas/device";
import { AddExternalIdForm } from "./add-external-id-form";

/** The external ids the device is known by (serial, MAC, IMEI …): how it finds itself at startup (docs/startup-phase.md, step 1). */
export function IdentityTab({ deviceId, canEdit }: { deviceId: string; canEdit: boolean }) {
  const list = useQuery(deviceQueries.identity(deviceId));
  const [removing, setRemoving] = useState<ExternalIdDto | null>(null);
  const queryClient = useQueryClient();
  const toast = useToast();
  const remove = useMutation({
    mutationFn: (ext: ExternalIdDto) => removeExternalId(deviceId, ext),
    onSuccess: (_, ext) => toast({ tone: "success", title: `${ext.type} ${ext.externalId} removed` }),
    onError: (error, ext) =>
      toast({
        tone: "error",
        title: `Could not remove ${ext.externalId}`,
        description: describeError(error).message,
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: deviceKeys.identity(deviceId) }),
  });

  return (
    <Card aria-labelledby="identity-title">
      <CardHeader
        title="External ids"
        titleId="identity-title"
        description="Each external id names exactly one object in the tenant. A device looks itself up by its id when it starts."
      />
      {list.isPending ? (
        <TableSkeleton rows={2} columns={3} label="Loading external ids…" />
      ) : list.isError ? (
        <ErrorState
          error={list.error}
          title="The external ids could not be loaded"
          onRetry={() => void list.refetch()}
        />
      ) : list.data.items.length === 0 ? (
        <EmptyState icon={<Fingerprint className="size-6" />} title="No external ids">
          Without one, a device cannot find this object when it starts and would create a new one. Add its
          serial number (c8y_Serial) below.
        </EmptyState>
      ) : (
        <Table>
          <TableCaption>External ids of this device</TableCaption>
          <THead>
            <tr>
              <Th>Type</Th>
              <Th>External id</Th>
              {canEdit && <Th className="text-right">Actions</Th>}
            </tr>
          </THead>
          <TBody>
            {list.data.items.map((ext) => (
              <Tr key={`${ext.type}\u0000${ext.externalId}`}>
                <Td className="font-mono">{ext.type}</Td>
                <Td className="font-mono break-all">{ext.externalId}</Td>
                {canEdit && (
                  <Td className="text-right">
                    <Button size="sm" variant="ghost" onClick={() => setRemoving(ext)}>
                      <Trash2 className="size-4" aria-hidden="true" />
                      Remove
                      <span className="sr-only">
                        {" "}
                        {ext.type} {ext.externalId}
                      </span>
                    </Button>
                  </Td>
                )}
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
      {canEdit && (
        <CardBody className="border-t border-slate-200 dark:border-slate-800">
          <AddExternalIdForm deviceId={deviceId} />
        </CardBody>
      )}
      <ConfirmDialog
        open={removing !== null}
        title={`Remove ${removing?.type ?? ""} ${removing?.externalId ?? ""}?`}
        confirmLabel="Remove external id"
        pending={remove.isPending}
        onCancel={() => setRemoving(null)}
        onConfirm={() => removing && remove.mutate(removing, { onSettled: () => setRemoving(null) })}
      >
        The device itself stays. But a device that looks itself up by this id when it starts will no longer
        find this object, and its agent may create a new one.
      </ConfirmDialog>
    </Card>
  );
}
