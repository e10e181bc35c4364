"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { rescheduleBulk, storeBulk } from "@/lib/queries/bulk-operations";
import type { BulkOperationDto } from "@/lib/schemas/bulk-operations";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { describeError } from "@/components/ui/error-state";
import { Field, describedBy } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

/** `datetime-local` wants local time without a zone. */
function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** "Edit schedule": a new start and delay between two creations, while the bulk operation is scheduled. */
export function ScheduleDialog({
  bulk,
  open,
  onClose,
}: {
  bulk: BulkOperationDto;
  open: boolean;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const startId = useId();
  const rampId = useId();
  const [start, setStart] = useState(() => toLocalInput(bulk.startDate));
  const [ramp, setRamp] = useState(String(bulk.creationRamp));
  const save = useMutation({
    mutationFn: () =>
      rescheduleBulk(bulk.id, { startDate: new Date(start).toISOString(), creationRamp: Number(ramp) }),
    onSuccess: (dto) => {
      storeBulk(queryClient, dto);
      onClose();
    },
  });
  const rampValue = Number(ramp);
  const rampError =
    ramp.trim() === "" || !Number.isFinite(rampValue) || rampValue < 0 || rampValue > 3600
      ? "Between 0 and 3600 seconds."
      : undefined;
  const startError = Number.isNaN(new Date(start).getTime()) ? "Enter a date and time." : undefined;
  return (
    <Dialog
      open={open}
      onClose={() => !save.isPending && onClose()}
      title={`Edit the schedule of bulk operation #${bulk.id}`}
      description="The bulk operation has not started: it starts at the new time and creates one operation per device with the new delay in between."
      footer={
        <>
          <Button onClick={onClose} disabled={save.isPending}>
            Cancel
          </Button>
          <Button
            variant="primary"
            loading={save.isPending}
            disabled={!!rampError || !!startError}
            onClick={() => save.mutate()}
          >
            Save schedule
          </Button>
        </>
      }
    >
      <div className="flex flex-col gap-4">
        <Field id={startId} label="Start" error={startError}>
          <Input
            id={startId}
            type="datetime-local"
            value={start}
            onChange={(e) => setStart(e.target.value)}
            aria-describedby={describedBy(startId, { error: startError })}
          />
        </Field>
        <Field id={rampId} label="Delay between two devices (seconds)" error={rampError}>
          <Input
            id={rampId}
            type="number"
            min={0}
            max={3600}
            step="any"
            value={ramp}
            onChange={(e) => setRamp(e.target.value)}
            aria-describedby={describedBy(rampId, { error: rampError })}
          />
        </Field>
        {save.isError && (
          <p role="alert" className="text-sm font-medium text-red-700 dark:text-red-400">
            {describeError(save.error).message}
          </p>
        )}
      </div>
    </Dialog>
  );
}
