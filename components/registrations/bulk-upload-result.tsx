import type { BulkRegistrationResult } from "@/lib/schemas/registrations";
import { ScrollRegion } from "@/components/ui/scroll-region";
import { TBody, THead, Table, TableCaption, Td, Th, Tr } from "@/components/ui/table";

const fmt = (n: number) => n.toLocaleString("en");

/** What the platform made of an uploaded file: counts, and every row it refused with its reason. */
export function BulkUploadResult({ fileName, result }: { fileName: string; result: BulkRegistrationResult }) {
  return (
    <div className="flex flex-col gap-3">
      <p role="status" className="text-sm font-medium text-slate-800 dark:text-slate-200">
        {fileName} uploaded: {fmt(result.numberOfSuccessful)} of {fmt(result.numberOfAll)} rows succeeded (
        {fmt(result.numberOfCreated)} new), {fmt(result.numberOfFailed)} failed.
      </p>
      {result.failed.length > 0 && (
        <ScrollRegion label="Rows the platform refused" className="max-h-64">
          <Table bare>
            <TableCaption>Rows the platform refused</TableCaption>
            <THead>
              <tr>
                <Th>Device id</Th>
                <Th>Reason</Th>
              </tr>
            </THead>
            <TBody>
              {result.failed.map((f, i) => (
                <Tr key={`${i}-${f.id}`}>
                  <Td className="font-mono text-[13px] break-all">{f.id || "–"}</Td>
                  <Td className="text-slate-700 dark:text-slate-300">{f.reason}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </ScrollRegion>
      )}
    </div>
  );
}
