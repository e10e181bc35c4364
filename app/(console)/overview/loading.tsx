import { LoadingRegion, Skeleton } from "@/components/ui/skeleton";

/** Shaped like the overview: header and a grid of count cards. */
export default function OverviewLoading() {
  return (
    <LoadingRegion label="Loading the overview…">
      <Skeleton className="mb-2 h-8 w-48" />
      <Skeleton className="mb-8 h-4 w-[32rem] max-w-full" />
      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
        {Array.from({ length: 6 }, (_, i) => (
          <Skeleton key={i} className="h-32 rounded-lg" />
        ))}
      </div>
    </LoadingRegion>
  );
}
