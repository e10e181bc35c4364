import { LoadingRegion, Skeleton } from "@/components/ui/skeleton";

/** Shaped like the tree page: header, the tree card with its search, and the details panel. */
export default function DevicesLoading() {
  return (
    <LoadingRegion label="Loading the device tree…">
      <Skeleton className="mb-2 h-8 w-48" />
      <Skeleton className="mb-8 h-4 w-[32rem] max-w-full" />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="rounded-lg border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900">
          <Skeleton className="mb-4 h-9 w-full" />
          {Array.from({ length: 10 }, (_, i) => (
            <Skeleton key={i} className="my-3 h-4" />
          ))}
        </div>
        <Skeleton className="h-48 rounded-lg" />
      </div>
    </LoadingRegion>
  );
}
