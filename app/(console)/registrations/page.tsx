import { HydrationBoundary, QueryClient, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { Suspense } from "react";
import { requirePageContext } from "@/lib/server/page-context";
import { listRegistrations } from "@/lib/server/services/registrations";
import { parseRegistrationSearch, registrationQueries } from "@/lib/queries/registrations";
import { PageHeader } from "@/components/shell/page-header";
import { RegistrationsView } from "@/components/registrations/registrations-view";

export const metadata: Metadata = { title: "Device registration" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * The first page of requests is read on the server with the same query options the browser uses (docs/style.md
 * rule 8), calling the service directly rather than the BFF over HTTP. A failure here is not fatal: the
 * browser then loads the list itself and shows its own error state.
 */
export default async function RegistrationsPage({ searchParams }: { searchParams: SearchParams }) {
  const query = parseRegistrationSearch(await searchParams);
  const { platform, registrations } = await requirePageContext();
  const queryClient = new QueryClient();
  await queryClient.prefetchQuery({
    ...registrationQueries.list(query),
    // A page load reads the platform whole: a reload shows what happened outside the console too.
    queryFn: () => listRegistrations(registrations, platform, query, { fresh: true }),
  });
  return (
    <>
      <PageHeader
        title="Device registration"
        description="Register device ids, watch the devices ask for credentials, and accept them. The list refreshes itself every few seconds."
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <Suspense>
          <RegistrationsView />
        </Suspense>
      </HydrationBoundary>
    </>
  );
}
