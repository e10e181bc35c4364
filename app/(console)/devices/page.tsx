import { HydrationBoundary, QueryClient, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { Suspense } from "react";
import { CONNECTION_PAGE_SIZE, TREE_PAGE_SIZE, deviceTreeQueries } from "@/lib/queries/device-tree";
import { connectionFilterSchema } from "@/lib/schemas/device";
import { listByConnection, listRoots } from "@/lib/server/services/device-tree";
import { requirePageContext } from "@/lib/server/page-context";
import { PageHeader } from "@/components/shell/page-header";
import { ConnectionFilter } from "@/components/devices/connection-filter";
import { ConnectionList } from "@/components/devices/connection-list";
import { DeviceTreeView } from "@/components/devices/device-tree-view";

export const metadata: Metadata = { title: "Devices" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * The device hierarchy, or with `?connection=CONNECTED|DISCONNECTED|UNAVAILABLE` the devices in that presence
 * state. The first page is read on the server with the same query options the browser uses (docs/style.md rule 8);
 * everything else loads in the browser. A failed prefetch is not fatal: the browser then asks itself and shows its
 * own error state.
 */
export default async function DevicesPage({ searchParams }: { searchParams: SearchParams }) {
  const { search, connection } = await searchParams;
  const filter = connectionFilterSchema.safeParse(connection);
  const status = filter.success ? filter.data : null;
  const { platform } = await requirePageContext();
  const queryClient = new QueryClient();
  if (status)
    await queryClient.prefetchQuery({
      ...deviceTreeQueries.connection(status, 1),
      queryFn: () => listByConnection(platform, { status, page: 1, pageSize: CONNECTION_PAGE_SIZE }),
    });
  else
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
      <ConnectionFilter value={status} />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <Suspense>
          {status ? (
            <ConnectionList key={status} status={status} />
          ) : (
            <DeviceTreeView initialSearch={typeof search === "string" ? search : ""} />
          )}
        </Suspense>
      </HydrationBoundary>
    </>
  );
}
