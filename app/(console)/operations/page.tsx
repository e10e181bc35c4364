import { Network } from "lucide-react";
import type { Metadata } from "next";
import { PageHeader } from "@/components/shell/page-header";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Operations" };

/** Placeholder until operations arrive. */
export default function OperationsPage() {
  return (
    <>
      <PageHeader
        title="Operations"
        description="Commands sent to devices, and their progress from pending to done."
      />
      <Card>
        <EmptyState icon={<Network className="size-6" />} title="Operations are coming">
          This page will list the operations sent to devices and update live as they move from pending to
          executing to successful or failed.
        </EmptyState>
      </Card>
    </>
  );
}
