import { HydrationBoundary, QueryClient, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { Suspense } from "react";
import { TREE_PAGE_SIZE, deviceTreeQueries } from "@/lib/queries/device-tree";
import { listRoots } from "@/lib/server/services/device-tree";
import { requirePageContext } from "@/lib/server/page-context";
import { PageHeader } from "@/components/shell/page-header";
import { DeviceTreeView } from "@/components/devices/device-tree-view";

export const metadata: Metadata = { title: "Devices" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * The device hierarchy. The first page of roots is read on the server with the same query options the browser
 * uses (style.md rule 8); everything below loads in the browser as the operator opens and scrolls. A failed
 * prefetch is not fatal: the browser then asks itself and shows its own error state.
 */
export default async function DevicesPage({ searchParams }: { searchParams: SearchParams }) {
  const { search } = await searchParams;
  const { platform } = await requirePageContext();
  const queryClient = new QueryClient();
  await queryClient.prefetchInfiniteQuery({
    ...deviceTreeQueries.roots(),
    queryFn: () => listRoots(platform, { pageSize: TREE_PAGE_SIZE }),
  });
  return (
    <>
      <PageHeader
        title="Devices"
        description="Groups, gateways and their devices. Open a node to load its children; find any device by name, id or serial number."
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <Suspense>
          <DeviceTreeView initialSearch={typeof search === "string" ? search : ""} />
        </Suspense>
      </HydrationBoundary>
    </>
  );
}
