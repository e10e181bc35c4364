import { LoadingRegion, Skeleton } from "@/components/ui/skeleton";

/** Shown while the device page renders on the server. */
export default function DeviceLoading() {
  return (
    <LoadingRegion label="Loading the device…">
      <Skeleton className="mb-3 h-8 w-72" />
      <Skeleton className="mb-6 h-20 w-full" />
      <Skeleton className="mb-4 h-9 w-96 max-w-full" />
      <Skeleton className="h-64 w-full" />
    </LoadingRegion>
  );
}
