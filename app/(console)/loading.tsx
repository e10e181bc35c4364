import { LoadingRegion, Skeleton, TableSkeleton } from "@/components/ui/skeleton";

/** Shown while a console page renders on the server. */
export default function ConsoleLoading() {
  return (
    <LoadingRegion label="Loading the page…">
      <Skeleton className="mb-2 h-8 w-64" />
      <Skeleton className="mb-8 h-4 w-96 max-w-full" />
      <div className="rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <TableSkeleton rows={6} columns={4} label={null} />
      </div>
    </LoadingRegion>
  );
}
