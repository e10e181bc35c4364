import { HydrationBoundary, QueryClient, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { overviewQueries } from "@/lib/queries/overview";
import { requirePageContext } from "@/lib/server/page-context";
import { getOverview } from "@/lib/server/services/overview";
import { PageHeader } from "@/components/shell/page-header";
import { OverviewView } from "@/components/overview/overview-view";

export const metadata: Metadata = { title: "Overview" };

/**
 * The landing page after sign-in: what needs the operator now. The counts are read on the server with the same
 * query options the browser refreshes them with (docs/style.md rule 8); a failed prefetch leaves it to the browser.
 */
export default async function OverviewPage() {
  const { platform, registrations } = await requirePageContext();
  const queryClient = new QueryClient();
  await queryClient.prefetchQuery({
    ...overviewQueries.counts(),
    queryFn: () => getOverview(registrations, platform, { fresh: true }),
  });
  return (
    <>
      <PageHeader
        title="Overview"
        description="What needs attention in the fleet now. Each card opens the list behind its number."
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <OverviewView />
      </HydrationBoundary>
    </>
  );
}
