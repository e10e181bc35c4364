import { CircleAlert, TriangleAlert } from "lucide-react";
import type { BulkParseResult } from "@/lib/csv/bulk-registration";

const SEPARATOR_NAMES = { "\t": "tab", ";": "semicolon", ",": "comma" } as const;
const fmt = (n: number) => n.toLocaleString("en");

/** How the file was read (format, separator) and what will happen to its rows. */
export function CsvFileSummary({ fileName, parsed }: { fileName: string; parsed: BulkParseResult }) {
  return (
    <div className="flex flex-col gap-2 text-sm">
      <p role="status" className="text-slate-700 dark:text-slate-300">
        <span className="font-medium text-slate-900 dark:text-slate-100">{fileName}</span>:{" "}
        {parsed.format === "simple" ? "simple format (ID, PATH)" : "full bulk format"}, separated by{" "}
        {SEPARATOR_NAMES[parsed.separator]}. {fmt(parsed.rows.length)} rows: {fmt(parsed.valid.length)} ready,{" "}
        {fmt(parsed.rejected.length)} rejected.
        {parsed.format === "simple" && " The devices still need accepting after they connect."}
      </p>
      {parsed.fileErrors.length > 0 && (
        <div
          role="alert"
          className="flex gap-2 rounded-md border border-red-300 bg-red-50 p-3 text-red-900 dark:border-red-800 dark:bg-red-950/40 dark:text-red-100"
        >
          <CircleAlert className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
          <div>
            <p className="font-medium">The file cannot be uploaded:</p>
            <ul className="mt-1 list-disc pl-5">
              {parsed.fileErrors.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
          </div>
        </div>
      )}
      {parsed.fileWarnings.map((w) => (
        <p key={w} className="flex gap-2 text-amber-900 dark:text-amber-200">
          <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
          {w}
        </p>
      ))}
    </div>
  );
}
