"use client";

import { useId, useState } from "react";
import type { BulkParseResult } from "@/lib/csv/bulk-registration";
import { Badge } from "@/components/ui/badge";
import { Checkbox } from "@/components/ui/checkbox";
import { ScrollRegion } from "@/components/ui/scroll-region";
import { TBody, THead, Table, TableCaption, Td, Th, Tr } from "@/components/ui/table";

const SHOWN_ROWS = 200;
const SHOWN_COLUMNS = 6;
/** Never echo a password back onto the screen. */
const SECRET_COLUMNS = new Set(["CREDENTIALS", "ENROLLMENT_OTP"]);

/** Row-by-row preview of a bulk file: what will be sent, and what is wrong with each rejected row. */
export function CsvPreviewTable({ parsed }: { parsed: BulkParseResult }) {
  const toggleId = useId();
  const [onlyProblems, setOnlyProblems] = useState(parsed.rejected.length > 0);
  const rows = onlyProblems ? parsed.rows.filter((r) => r.errors.length || r.warnings.length) : parsed.rows;
  const columns = parsed.columns.slice(0, SHOWN_COLUMNS);
  const cut = rows.length - SHOWN_ROWS;
  return (
    <div className="flex flex-col gap-2">
      <div className="flex items-center gap-2 text-sm">
        <Checkbox id={toggleId} checked={onlyProblems} onChange={(e) => setOnlyProblems(e.target.checked)} />
        <label htmlFor={toggleId} className="text-slate-700 dark:text-slate-300">
          Show only rows with problems or warnings
        </label>
      </div>
      <ScrollRegion label="Preview of the file" className="max-h-96">
        <Table bare>
          <TableCaption>Preview of the file, one row per device</TableCaption>
          <THead>
            <tr>
              <Th>Line</Th>
              <Th>Check</Th>
              {columns.map((c, i) => (
                <Th key={`${i}-${c}`} className="normal-case">
                  {c}
                </Th>
              ))}
              <Th>Problems</Th>
            </tr>
          </THead>
          <TBody>
            {rows.slice(0, SHOWN_ROWS).map((row) => (
              <Tr key={row.line}>
                <Td className="tabular-nums">{row.line}</Td>
                <Td>
                  {row.errors.length ? (
                    <Badge tone="danger">Rejected</Badge>
                  ) : (
                    <Badge tone="success">OK</Badge>
                  )}
                </Td>
                {columns.map((c, i) => (
                  <Td key={`${i}-${c}`} className="max-w-48 truncate font-mono text-[13px]">
                    {SECRET_COLUMNS.has(c.toUpperCase()) && row.values[i] ? "••••••" : row.values[i]}
                  </Td>
                ))}
                <Td className="min-w-56 text-slate-700 dark:text-slate-300">
                  {[...row.errors, ...row.warnings.map((w) => `Note: ${w}`)].join("; ")}
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      </ScrollRegion>
      {(cut > 0 || parsed.columns.length > SHOWN_COLUMNS) && (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {cut > 0 && `${cut.toLocaleString("en")} more rows are not shown. `}
          {parsed.columns.length > SHOWN_COLUMNS &&
            `${parsed.columns.length - SHOWN_COLUMNS} more columns are not shown.`}
        </p>
      )}
    </div>
  );
}
