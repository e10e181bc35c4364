import { Cpu } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/shell/page-header";
import { buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Devices" };

/** Placeholder until the device inventory arrives: says what will be here and where to go meanwhile. */
export default async function DevicesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { search } = await searchParams;
  const term = typeof search === "string" ? search : undefined;
  return (
    <>
      <PageHeader
        title="Devices"
        description="The devices in the inventory, their hierarchy and their fragments."
      />
      <Card>
        <EmptyState
          icon={<Cpu className="size-6" />}
          title={term ? `Device search for “${term}” is coming` : "The device list is coming"}
          action={
            <Link href="/registrations" className={buttonClasses()}>
              Go to device registration
            </Link>
          }
        >
          This page will list every device with its children and let you edit fragments. Until then, register
          and accept devices on the registration page.
        </EmptyState>
      </Card>
    </>
  );
}
