import { Skeleton, TableSkeleton } from "@/components/ui/skeleton";

export default function RegistrationsLoading() {
  return (
    <>
      <Skeleton className="mb-2 h-8 w-72" />
      <Skeleton className="mb-8 h-4 w-[32rem] max-w-full" />
      <Skeleton className="mb-6 h-48 w-full rounded-lg" />
      <div className="rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <TableSkeleton rows={8} columns={5} label="Loading registration requests…" />
      </div>
    </>
  );
}
