"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Download, Upload } from "lucide-react";
import { useId, useMemo, useRef, useState, type ChangeEvent } from "react";
import type { BulkRegistrationResult } from "@/lib/schemas/registrations";
import { parseBulkRegistrationCsv, rejectedRowsCsv, validRowsCsv } from "@/lib/csv/bulk-registration";
import { registrationKeys, uploadBulkRegistrations } from "@/lib/queries/registrations";
import { Button } from "@/components/ui/button";
import { downloadText } from "@/components/ui/download";
import { describeError } from "@/components/ui/error-state";
import { Field } from "@/components/ui/field";
import { controlClasses } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import { BulkUploadResult } from "./bulk-upload-result";
import { CsvFileSummary } from "./csv-file-summary";
import { CsvPreviewTable } from "./csv-preview-table";
import { useKnownRegistrations } from "./use-known-registrations";

/** Larger files are almost certainly the wrong file; the platform's own limits are lower still. */
const MAX_FILE_BYTES = 5 * 1024 * 1024;
const fmt = (n: number) => n.toLocaleString("en");

/** Upload a bulk registration CSV: read and checked in the browser, previewed, then only valid rows are sent. */
export function BulkCsvForm({ busy }: { busy: boolean }) {
  const inputId = useId();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const [uploaded, setUploaded] = useState<{ name: string; result: BulkRegistrationResult } | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const { known, checking } = useKnownRegistrations(file !== null);
  const parsed = useMemo(() => (file ? parseBulkRegistrationCsv(file.text, { known }) : null), [file, known]);

  const upload = useMutation({
    mutationFn: (csv: { text: string; name: string }) => uploadBulkRegistrations(csv.text, csv.name),
    onSuccess: (result, { name }) => {
      // The preview is done with: its ids are now known requests and would all read as duplicates.
      setUploaded({ name, result });
      setFile(null);
      if (inputRef.current) inputRef.current.value = "";
    },
    onError: (error) =>
      toast({ tone: "error", title: "The upload failed", description: describeError(error).message }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: registrationKeys.all }),
  });

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0];
    setUploaded(null);
    setFile(null);
    setReadError(null);
    if (!chosen) return;
    if (chosen.size > MAX_FILE_BYTES)
      return setReadError(`${chosen.name} is larger than 5 MB; split it into smaller files.`);
    try {
      setFile({ name: chosen.name, text: await chosen.text() });
    } catch {
      setReadError(`${chosen.name} could not be read.`);
    }
  };

  const baseName = file?.name.replace(/\.[^.]*$/, "") ?? "devices";
  const canUpload = !!parsed && parsed.fileErrors.length === 0 && parsed.valid.length > 0;
  return (
    <div className="flex flex-col gap-4">
      <Field
        id={inputId}
        label="CSV file"
        hint="Simple format: a header row ID;PATH, then one device per row. The full bulk format (ID, CREDENTIALS, TYPE, NAME, …) works too. Separators: semicolon, comma or tab."
        error={readError}
      >
        <input
          ref={inputRef}
          id={inputId}
          type="file"
          accept=".csv,.txt,text/csv,text/plain"
          onChange={(e) => void onFile(e)}
          className={`${controlClasses} py-1.5 file:mr-3 file:rounded file:border-0 file:bg-slate-100 file:px-2 file:py-1 file:text-sm file:font-medium dark:file:bg-slate-800 dark:file:text-slate-100`}
          aria-describedby={`${inputId}-hint${readError ? ` ${inputId}-error` : ""}`}
        />
      </Field>
      {file && parsed && (
        <>
          <CsvFileSummary fileName={file.name} parsed={parsed} />
          {parsed.rows.length > 0 && <CsvPreviewTable key={file.name + file.text.length} parsed={parsed} />}
          <div className="flex flex-wrap gap-2">
            <Button
              variant="primary"
              disabled={!canUpload || busy || checking}
              loading={upload.isPending}
              onClick={() => upload.mutate({ text: validRowsCsv(parsed), name: file.name })}
            >
              <Upload className="size-4" aria-hidden="true" />
              {parsed.valid.length === 1
                ? "Upload 1 valid row"
                : `Upload ${fmt(parsed.valid.length)} valid rows`}
            </Button>
            {parsed.rejected.length > 0 && (
              <Button onClick={() => downloadText(rejectedRowsCsv(parsed), `${baseName}-rejected.csv`)}>
                <Download className="size-4" aria-hidden="true" />
                Download rejected rows ({fmt(parsed.rejected.length)})
              </Button>
            )}
          </div>
          {parsed.rejected.length > 0 && (
            <p className="text-sm text-slate-600 dark:text-slate-400">
              The download keeps your columns and adds the reason for each row; fix the rows and upload that
              file again.
            </p>
          )}
        </>
      )}
      {uploaded && <BulkUploadResult fileName={uploaded.name} result={uploaded.result} />}
    </div>
  );
}
