import { HydrationBoundary, QueryClient, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { DeviceView } from "@/components/device-page/device-view";
import { deviceQueries } from "@/lib/queries/device";
import { managedObjectIdSchema } from "@/lib/schemas/device";
import { requirePageContext } from "@/lib/server/page-context";
import { getDevice } from "@/lib/server/services/device";

export const metadata: Metadata = { title: "Device" };

/**
 * The device is read on the server with the same query options the browser uses (docs/style.md rule 8), calling the
 * service directly. A failure is not fatal here: the browser then loads it itself and shows its own error state.
 */
export default async function DevicePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!managedObjectIdSchema.safeParse(id).success) notFound();
  const { platform } = await requirePageContext();
  const queryClient = new QueryClient();
  await queryClient.prefetchQuery({ ...deviceQueries.detail(id), queryFn: () => getDevice(platform, id) });
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      {/* The tab lives in the address; reading it needs a Suspense boundary. */}
      <Suspense>
        <DeviceView id={id} />
      </Suspense>
    </HydrationBoundary>
  );
}
