"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { TriangleAlert } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { bulkCreateQueries, startBulkOperation } from "@/lib/queries/bulk-create";
import { bulkPrototypeOf, bulkStartBlocker } from "@/lib/schemas/bulk-create";
import type { TreeNodeDto } from "@/lib/schemas/device-tree";
import {
  KIND_FRAGMENTS,
  createOperationSchema,
  type CreateOperationInput,
  type OperationKind,
} from "@/lib/schemas/operations";
import { GroupPicker } from "@/components/devices/group-picker";
import { useSessionUser } from "@/components/shell/session-user-provider";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import { DryRunSummary } from "./dry-run-summary";
import { OperationPicker } from "./operation-picker";
import { ScheduleFields } from "./schedule-fields";
import { initialSchedule, readSchedule } from "./schedule";
import { blockerKindOf, bulkErrorsOf, bulkTargetOf, type StartTarget } from "./start-target";

/** Starting a bulk operation; the state starts afresh with every opening. */
export function BulkStartDialog({ start, onClose }: { start: StartTarget | null; onClose: () => void }) {
  return start ? <BulkStartForm start={start} onClose={onClose} /> : null;
}

/**
 * The operation (the same forms as for one device), the devices it reaches counted before sending, the start and
 * the ramp, a note. Sent, it opens the bulk operation's page.
 */
function BulkStartForm({ start, onClose }: { start: StartTarget; onClose: () => void }) {
  const formId = useId();
  const user = useSessionUser();
  const router = useRouter();
  const toast = useToast();
  const [picked, setPicked] = useState<TreeNodeDto | null>(null);
  const [kind, setKind] = useState<OperationKind>("restart");
  const [schedule, setSchedule] = useState(initialSchedule);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const target = bulkTargetOf(start, picked);
  const blocker = bulkStartBlocker(user, blockerKindOf(start));
  const fragment = KIND_FRAGMENTS[kind][0]!;
  const dryRun = useQuery({
    ...bulkCreateQueries.dryRun(target ?? { groupId: "0" }, fragment),
    enabled: target !== null && blocker === null,
  });
  const mutation = useMutation({
    mutationFn: startBulkOperation,
    onSuccess: ({ id }) => {
      toast({ tone: "info", title: `Bulk operation ${id} created`, description: "Opening its page." });
      onClose();
      router.push(`/operations/bulk/${encodeURIComponent(id)}`);
    },
    onError: (error) => setErrors(bulkErrorsOf(error)),
  });

  const submit = (input: CreateOperationInput) => {
    const found: Record<string, string> = {};
    const op = createOperationSchema.safeParse(input);
    if (!op.success)
      for (const issue of op.error.issues)
        found[issue.path.map(String).join(".") || "operation"] ??= issue.message;
    const read = readSchedule(schedule, Date.now());
    if (!read.ok) Object.assign(found, read.errors);
    if (!target) found.target = "Choose the group to run it on.";
    else if (dryRun.data?.devices === 0) found.target = "No device to send it to.";
    setErrors(found);
    if (Object.keys(found).length > 0 || !op.success || !read.ok || !target || blocker) return;
    mutation.mutate({ target, operation: bulkPrototypeOf(op.data), ...read.value });
  };

  const title = start.kind === "pick-group" ? "New bulk operation" : `Run an operation on ${start.label}`;
  const general = errors["(body)"] ?? errors.operation ?? errors.kind;
  return (
    <Dialog
      open
      size="lg"
      onClose={() => !mutation.isPending && onClose()}
      title={title}
      description="One operation per device, created over time by the platform. You can follow and cancel it on its page."
      footer={
        <>
          <Button onClick={onClose} disabled={mutation.isPending}>
            Cancel
          </Button>
          <Button
            variant="primary"
            type="submit"
            form={formId}
            loading={mutation.isPending}
            disabled={blocker !== null}
          >
            Start bulk operation
          </Button>
        </>
      }
    >
      <div className="flex flex-col gap-5">
        {blocker && (
          <p
            role="note"
            className="flex gap-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100"
          >
            <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
            {blocker}
          </p>
        )}
        {start.kind === "pick-group" && <GroupPicker value={picked} onChange={setPicked} exclude="" />}
        {target
          ? blocker === null && <DryRunSummary query={dryRun} fragment={fragment} error={errors.target} />
          : errors.target && (
              <p role="alert" className="text-sm font-medium text-red-700 dark:text-red-400">
                {errors.target}
              </p>
            )}
        <OperationPicker
          kind={kind}
          onKind={(k) => {
            setKind(k);
            setErrors({});
          }}
          formId={formId}
          errors={errors}
          onSubmit={submit}
        />
        {general && (
          <p role="alert" className="text-sm font-medium text-red-700 dark:text-red-400">
            {general}
          </p>
        )}
        <ScheduleFields
          draft={schedule}
          onChange={(patch) => setSchedule((s) => ({ ...s, ...patch }))}
          errors={errors}
          devices={dryRun.data?.devices ?? null}
        />
      </div>
    </Dialog>
  );
}
