import { HydrationBoundary, QueryClient, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { requirePageContext } from "@/lib/server/page-context";
import { listOperations } from "@/lib/server/services/operations";
import { operationQueries, parseOperationSearch } from "@/lib/queries/operations";
import { PageHeader } from "@/components/shell/page-header";
import { buttonClasses } from "@/components/ui/button";
import { OperationsView } from "@/components/operations/operations-view";

export const metadata: Metadata = { title: "Operations" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * The first page is read on the server with the same query options the browser uses (docs/style.md rule 8). A
 * failure here is not fatal: the browser then loads the list itself and shows its own error state.
 */
export default async function OperationsPage({ searchParams }: { searchParams: SearchParams }) {
  const query = parseOperationSearch(await searchParams);
  const { platform } = await requirePageContext();
  const queryClient = new QueryClient();
  await queryClient.prefetchQuery({
    ...operationQueries.list(query),
    queryFn: () => listOperations(platform, query),
  });
  return (
    <>
      <PageHeader
        title="Operations"
        description="Commands sent to devices, newest first, updating live from pending to executing to successful or failed. Cancel what has not started, clear what is stuck, run failed ones again."
        actions={
          <Link href="/operations/bulk" className={buttonClasses()}>
            Bulk operations
          </Link>
        }
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <Suspense>
          <OperationsView />
        </Suspense>
      </HydrationBoundary>
    </>
  );
}
