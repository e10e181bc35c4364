import { HydrationBoundary, QueryClient, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { requirePageContext } from "@/lib/server/page-context";
import { listBulkOperations } from "@/lib/server/services/bulk-operations";
import { bulkQueries, parseBulkSearch } from "@/lib/queries/bulk-operations";
import { PageHeader } from "@/components/shell/page-header";
import { buttonClasses } from "@/components/ui/button";
import { BulkList } from "@/components/bulk-operations/bulk-list";

export const metadata: Metadata = { title: "Bulk operations" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The first page is read on the server with the browser's query options (docs/style.md rule 8); a failure is not fatal. */
export default async function BulkOperationsPage({ searchParams }: { searchParams: SearchParams }) {
  const query = parseBulkSearch(await searchParams);
  const { platform } = await requirePageContext();
  const queryClient = new QueryClient();
  await queryClient.prefetchQuery({
    ...bulkQueries.list(query),
    queryFn: () => listBulkOperations(platform, query),
  });
  return (
    <>
      <PageHeader
        title="Bulk operations"
        description="One operation for every device of a group, created over time. Watch a rollout progress live, cancel or reschedule it, and retry the devices that failed."
        actions={
          <Link href="/operations" className={buttonClasses()}>
            All operations
          </Link>
        }
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <Suspense>
          <BulkList />
        </Suspense>
      </HydrationBoundary>
    </>
  );
}
