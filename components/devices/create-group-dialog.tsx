"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { BffError } from "@/lib/queries/api-client";
import { createGroup, deviceTreeKeys } from "@/lib/queries/device-tree";
import type { TreeNodeDto } from "@/lib/schemas/device-tree";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { describeError } from "@/components/ui/error-state";
import { Field, describedBy } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import { displayName } from "./node-kind";

/** Creates a root group, or a subgroup inside `parent`; the new group is then selected in the tree. */
export function CreateGroupDialog({
  parent,
  onClose,
  onCreated,
}: {
  parent: TreeNodeDto | null;
  onClose: () => void;
  onCreated: (group: TreeNodeDto) => void;
}) {
  const id = useId();
  const [name, setName] = useState("");
  const toast = useToast();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: () => createGroup({ name, ...(parent ? { parentId: parent.id } : {}) }),
    onSuccess: async (group) => {
      toast({ tone: "success", title: `Group ${displayName(group)} created` });
      await queryClient.invalidateQueries({ queryKey: deviceTreeKeys.all });
      onCreated(group);
    },
  });
  const error = mutation.error;
  const fieldError = error instanceof BffError ? error.fields?.name : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!mutation.isPending) mutation.mutate();
  };
  const title = parent ? `New subgroup in ${displayName(parent)}` : "New group";
  return (
    <Dialog
      open
      onClose={() => !mutation.isPending && onClose()}
      title={title}
      description={
        parent
          ? "The subgroup is created inside this group. Add devices to it afterwards."
          : "A top-level group for devices; create subgroups and add devices afterwards."
      }
    >
      <form id={`${id}-form`} onSubmit={submit} className="flex flex-col gap-3">
        <Field id={id} label="Group name" error={fieldError}>
          <Input
            id={id}
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={254}
            aria-invalid={fieldError ? true : undefined}
            aria-describedby={describedBy(id, { error: fieldError })}
          />
        </Field>
        {error && !fieldError && (
          <p role="alert" className="text-sm font-medium text-red-700 dark:text-red-400">
            {describeError(error).message}
          </p>
        )}
        <div className="flex justify-end gap-2 pt-2">
          <Button onClick={onClose} disabled={mutation.isPending}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" loading={mutation.isPending}>
            Create group
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
