"use client";

import { useEffect, useRef } from "react";
import type { RegistrationDto } from "@/lib/schemas/registrations";
import { Checkbox } from "@/components/ui/checkbox";
import { TBody, THead, Table, TableCaption, Th } from "@/components/ui/table";
import { RegistrationRow, type RowAction } from "./registration-row";

/** One page of requests. Row checkboxes exist only for requests that can be accepted (pending ones). */
export function RegistrationsTable({
  rows,
  caption,
  canAdmin,
  selected,
  onSelectionChange,
  acceptingId,
  onAccept,
  onAction,
}: {
  rows: RegistrationDto[];
  caption: string;
  canAdmin: boolean;
  selected: ReadonlySet<string>;
  onSelectionChange: (next: Set<string>) => void;
  acceptingId: string | null;
  onAccept: (id: string) => void;
  onAction: (row: RegistrationDto, action: RowAction) => void;
}) {
  const selectable = rows.filter((r) => r.status === "PENDING_ACCEPTANCE").map((r) => r.id);
  const selectedHere = selectable.filter((id) => selected.has(id)).length;
  const allRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (allRef.current) allRef.current.indeterminate = selectedHere > 0 && selectedHere < selectable.length;
  }, [selectedHere, selectable.length]);

  const toggleAll = (on: boolean) => {
    const next = new Set(selected);
    for (const id of selectable) {
      if (on) next.add(id);
      else next.delete(id);
    }
    onSelectionChange(next);
  };
  const toggleOne = (id: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    onSelectionChange(next);
  };

  return (
    <Table>
      <TableCaption>{caption}</TableCaption>
      <THead>
        <tr>
          {canAdmin && (
            <Th className="w-10">
              <Checkbox
                ref={allRef}
                checked={selectable.length > 0 && selectedHere === selectable.length}
                disabled={selectable.length === 0}
                onChange={(e) => toggleAll(e.target.checked)}
                aria-label="Select all pending requests on this page"
              />
            </Th>
          )}
          <Th>Device id</Th>
          <Th>Status</Th>
          <Th>Registered</Th>
          <Th>Registered by</Th>
          {canAdmin && (
            <Th className="text-right">
              <span className="sr-only">Actions</span>
            </Th>
          )}
        </tr>
      </THead>
      <TBody>
        {rows.map((row) => (
          <RegistrationRow
            key={row.id}
            row={row}
            canAdmin={canAdmin}
            selected={selected.has(row.id)}
            onSelect={toggleOne}
            accepting={acceptingId === row.id}
            onAccept={onAccept}
            onAction={onAction}
          />
        ))}
      </TBody>
    </Table>
  );
}
