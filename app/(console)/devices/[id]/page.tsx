import { Cpu } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/shell/page-header";
import { buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Device" };

/** Placeholder for one device's page (the link target of accepted registrations). */
export default async function DevicePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <>
      <PageHeader
        title={`Device ${id}`}
        description="Details, child devices, fragments and operations of one device."
      />
      <Card>
        <EmptyState
          icon={<Cpu className="size-6" />}
          title="The device page is coming"
          action={
            <Link href="/devices" className={buttonClasses()}>
              Back to devices
            </Link>
          }
        >
          Here you will see managed object {id} with its hierarchy and fragments, and send it operations.
        </EmptyState>
      </Card>
    </>
  );
}
