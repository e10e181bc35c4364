import { Skeleton, TableSkeleton } from "@/components/ui/skeleton";

export default function BulkOperationLoading() {
  return (
    <>
      <Skeleton className="mb-2 h-8 w-56" />
      <Skeleton className="mb-8 h-4 w-[32rem] max-w-full" />
      <div className="rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <TableSkeleton rows={4} columns={3} label="Loading the bulk operation…" />
      </div>
    </>
  );
}
