"use client";

import { useQuery } from "@tanstack/react-query";
import { Cpu } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { LoadingRegion, Skeleton } from "@/components/ui/skeleton";
import { TabPanel, Tabs } from "@/components/ui/tabs";
import { useToast } from "@/components/ui/toast";
import { DevicePaletteActions } from "@/components/palette/device-palette-actions";
import { useSessionUser } from "@/components/shell/session-user-provider";
import { BffError } from "@/lib/queries/api-client";
import { deviceQueries } from "@/lib/queries/device";
import type { DeviceDto } from "@/lib/schemas/device";
import { ChildrenTab } from "./children-tab";
import { DeleteDeviceDialog } from "./delete-device-dialog";
import { DeviceHeader } from "./device-header";
import { FragmentsTab } from "./fragments-tab";
import { IdentityTab } from "./identity-tab";
import { OperationsTab } from "./operations-tab";
import { OverviewTab } from "./overview-tab";
import { SaveChangesDialog } from "./save-changes-dialog";
import { UnsavedChangesBar } from "./unsaved-changes-bar";
import { useDeviceDrafts } from "./use-device-drafts";
import { useDeviceTab, type DeviceTab } from "./use-device-tab";

/** One device: header, tabs, and the unsaved edits collected across them. */
export function DeviceView({ id }: { id: string }) {
  const query = useQuery(deviceQueries.detail(id));
  if (query.isPending)
    return (
      <LoadingRegion label="Loading the device…">
        <Skeleton className="mb-3 h-8 w-72" />
        <Skeleton className="mb-6 h-20 w-full" />
        <Skeleton className="h-64 w-full" />
      </LoadingRegion>
    );
  if (query.isError) {
    const missing = query.error instanceof BffError && query.error.status === 404;
    return (
      <div className="rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <h1 className="sr-only">Device {id}</h1>
        {missing ? (
          <EmptyState
            icon={<Cpu className="size-6" />}
            title={`There is no device ${id}`}
            action={
              <Link href="/devices" className={buttonClasses()}>
                Back to devices
              </Link>
            }
          >
            It may have been deleted, or the link is wrong.
          </EmptyState>
        ) : (
          <ErrorState
            error={query.error}
            title="The device could not be loaded"
            onRetry={() => void query.refetch()}
          />
        )}
      </div>
    );
  }
  return <DeviceLoaded device={query.data} />;
}

function DeviceLoaded({ device }: { device: DeviceDto }) {
  const drafts = useDeviceDrafts(device);
  const [tab, setTab] = useDeviceTab();
  const [reviewing, setReviewing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const canEdit = useSessionUser().can.adminDevices;
  const router = useRouter();
  const toast = useToast();
  const dirty = Object.keys(drafts.changes).length > 0;
  const base = drafts.base;

  // Leaving the page (reload, closing the tab) with unsaved edits asks first.
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  const items: { value: DeviceTab; label: string; count?: number }[] = [
    { value: "overview", label: "Overview" },
    { value: "fragments", label: "Fragments", count: Object.keys(base.fragments).length },
    { value: "identity", label: "Identity" },
    { value: "children", label: "Children", count: base.childCounts.devices + base.childCounts.assets },
    { value: "operations", label: "Operations" },
  ];
  const name = drafts.valueOf("name");
  return (
    <>
      <DeviceHeader
        device={base}
        name={typeof name === "string" ? name : null}
        nameChanged={drafts.isChanged("name")}
        canEdit={canEdit}
        onRename={(next) => drafts.set("name", next)}
        onDelete={() => setDeleting(true)}
      />
      <Tabs
        items={items}
        value={tab}
        onChange={setTab}
        label="Device sections"
        idBase="device"
        className="mb-4"
      />
      <TabPanel idBase="device" value={tab}>
        {tab === "overview" && <OverviewTab device={base} />}
        {tab === "fragments" && <FragmentsTab drafts={drafts} canEdit={canEdit} />}
        {tab === "identity" && <IdentityTab deviceId={base.id} canEdit={canEdit} />}
        {tab === "children" && <ChildrenTab device={base} canEdit={canEdit} />}
        {tab === "operations" && <OperationsTab device={base} />}
      </TabPanel>
      <UnsavedChangesBar drafts={drafts} onReview={() => setReviewing(true)} />
      <DevicePaletteActions device={base} tab={tab} onTab={setTab} />
      {reviewing && <SaveChangesDialog drafts={drafts} latest={device} onClose={() => setReviewing(false)} />}
      {deleting && (
        <DeleteDeviceDialog
          target={base}
          onClose={() => setDeleting(false)}
          onDeleted={() => {
            toast({ tone: "success", title: `${base.name ?? base.id} deleted` });
            router.push("/devices");
          }}
        />
      )}
    </>
  );
}
