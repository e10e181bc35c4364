import { HydrationBoundary, QueryClient, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { requirePageContext } from "@/lib/server/page-context";
import { getBulkOperation } from "@/lib/server/services/bulk-operations";
import { bulkQueries } from "@/lib/queries/bulk-operations";
import { PageHeader } from "@/components/shell/page-header";
import { buttonClasses } from "@/components/ui/button";
import { BulkDetailView } from "@/components/bulk-operations/bulk-detail-view";

type Params = Promise<{ id: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: `Bulk operation #${(await params).id}` };
}

/** The bulk operation is read on the server with the browser's query options (docs/style.md rule 8); a failure is not fatal. */
export default async function BulkOperationPage({ params }: { params: Params }) {
  const { id } = await params;
  const { platform } = await requirePageContext();
  const queryClient = new QueryClient();
  await queryClient.prefetchQuery({
    ...bulkQueries.detail(id),
    queryFn: () => getBulkOperation(platform, id),
  });
  return (
    <>
      <PageHeader
        title={`Bulk operation #${id}`}
        description="Its single operations update live as the devices work on them. Retry the failed ones by reason, or all at once."
        actions={
          <Link href="/operations/bulk" className={buttonClasses()}>
            All bulk operations
          </Link>
        }
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <Suspense>
          <BulkDetailView id={id} />
        </Suspense>
      </HydrationBoundary>
    </>
  );
}
