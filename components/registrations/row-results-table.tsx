"use client";

import { useId, useState } from "react";
import type { RowResult } from "@/lib/schemas/registrations";
import { Badge } from "@/components/ui/badge";
import { Checkbox } from "@/components/ui/checkbox";
import { ScrollRegion } from "@/components/ui/scroll-region";
import { TBody, THead, Table, TableCaption, Td, Th, Tr } from "@/components/ui/table";

/** Beyond this many rows the table shows problems first and says how many more there are. */
const MAX_ROWS = 500;

interface Line {
  id: string;
  outcome: "ok" | "failed" | "not-sent";
  detail: string;
}

/** Per-id outcome of a bulk action, problems first, with a switch to hide the successes. */
export function RowResultsTable({
  results,
  notSent,
  verb,
  caption,
}: {
  results: RowResult[];
  notSent: string[];
  /** Past tense of the action ("accepted"). */
  verb: string;
  caption: string;
}) {
  const toggleId = useId();
  const lines: Line[] = [
    ...results
      .filter((r) => !r.ok)
      .map((r) => ({ id: r.id, outcome: "failed" as const, detail: r.error ?? "Failed" })),
    ...notSent.map((id) => ({
      id,
      outcome: "not-sent" as const,
      detail: "Not sent: the run was stopped before this id.",
    })),
    ...results.filter((r) => r.ok).map((r) => ({ id: r.id, outcome: "ok" as const, detail: "" })),
  ];
  const problems = lines.filter((l) => l.outcome !== "ok").length;
  const [onlyProblems, setOnlyProblems] = useState(false);
  const visible = (onlyProblems ? lines.filter((l) => l.outcome !== "ok") : lines).slice(0, MAX_ROWS);
  const hidden = (onlyProblems ? problems : lines.length) - visible.length;
  if (lines.length === 0) return null;
  return (
    <div className="flex flex-col gap-2">
      {problems > 0 && problems < lines.length && (
        <div className="flex items-center gap-2 px-1 text-sm">
          <Checkbox
            id={toggleId}
            checked={onlyProblems}
            onChange={(e) => setOnlyProblems(e.target.checked)}
          />
          <label htmlFor={toggleId} className="text-slate-700 dark:text-slate-300">
            Show only the {problems.toLocaleString("en")} ids that did not succeed
          </label>
        </div>
      )}
      <ScrollRegion label={caption} className="max-h-80">
        <Table bare>
          <TableCaption>{caption}</TableCaption>
          <THead>
            <tr>
              <Th>Device id</Th>
              <Th>Result</Th>
              <Th>Details</Th>
            </tr>
          </THead>
          <TBody>
            {visible.map((line) => (
              <Tr key={`${line.outcome}-${line.id}`}>
                <Td className="font-mono text-[13px] break-all">{line.id}</Td>
                <Td>
                  {line.outcome === "ok" && (
                    <Badge tone="success">{verb[0]?.toUpperCase() + verb.slice(1)}</Badge>
                  )}
                  {line.outcome === "failed" && <Badge tone="danger">Failed</Badge>}
                  {line.outcome === "not-sent" && <Badge>Not sent</Badge>}
                </Td>
                <Td className="text-slate-600 dark:text-slate-400">{line.detail}</Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      </ScrollRegion>
      {hidden > 0 && (
        <p className="px-1 text-sm text-slate-600 dark:text-slate-400">
          {hidden.toLocaleString("en")} more rows are not shown.
        </p>
      )}
    </div>
  );
}
