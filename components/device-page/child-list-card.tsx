"use client";

import { useQuery } from "@tanstack/react-query";
import { Link2, Network } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { Pagination } from "@/components/ui/pagination";
import { TableSkeleton } from "@/components/ui/skeleton";
import { Table, TableCaption, TBody, THead, Td, Th, Tr } from "@/components/ui/table";
import { deviceQueries } from "@/lib/queries/device";
import { CHILD_PAGE_SIZES, type ChildKind, type ObjectSummary } from "@/lib/schemas/device";
import { RoleBadges } from "./device-header";
import { KIND_WORDS } from "./link-child-dialog";

const HELP: Record<ChildKind, string> = {
  devices: "Devices connected through this one. Operations for them go through the nearest agent above them.",
  assets: "Objects grouped below this one (for devices, mostly none; groups hold their devices here).",
};

/** One page of child devices or child assets, with link, unlink and delete. */
export function ChildListCard({
  deviceId,
  kind,
  canEdit,
  onLink,
  onUnlink,
  onDelete,
}: {
  deviceId: string;
  kind: ChildKind;
  canEdit: boolean;
  onLink: () => void;
  onUnlink: (child: ObjectSummary) => void;
  onDelete: (child: ObjectSummary) => void;
}) {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState<number>(CHILD_PAGE_SIZES[0]);
  const list = useQuery(deviceQueries.children(deviceId, { kind, page, pageSize }));
  const words = KIND_WORDS[kind];
  const titleId = `children-${kind}-title`;
  const title = words.many[0]!.toUpperCase() + words.many.slice(1);
  const data = list.data;
  const total = data
    ? (data.total ?? (data.page - 1) * data.pageSize + data.items.length + (data.hasNext ? 1 : 0))
    : 0;

  return (
    <Card aria-labelledby={titleId}>
      <CardHeader
        title={title}
        titleId={titleId}
        description={HELP[kind]}
        actions={
          canEdit && (
            <Button size="sm" onClick={onLink}>
              <Link2 className="size-4" aria-hidden="true" />
              Link existing…
            </Button>
          )
        }
      />
      {list.isPending ? (
        <TableSkeleton rows={3} columns={4} label={`Loading ${words.many}…`} />
      ) : list.isError ? (
        <ErrorState
          error={list.error}
          title={`The ${words.many} could not be loaded`}
          onRetry={() => void list.refetch()}
        />
      ) : data!.items.length === 0 && page === 1 ? (
        <EmptyState icon={<Network className="size-6" />} title={`No ${words.many}`}>
          {canEdit
            ? `Use “Link existing…” to place an object here as a ${words.one}.`
            : `Nothing is linked here.`}
        </EmptyState>
      ) : (
        <>
          <Table>
            <TableCaption>{title}</TableCaption>
            <THead>
              <tr>
                <Th>Name</Th>
                <Th>Type</Th>
                <Th>What</Th>
                <Th>ID</Th>
                {canEdit && <Th className="text-right">Actions</Th>}
              </tr>
            </THead>
            <TBody>
              {data!.items.map((c) => (
                <Tr key={c.id}>
                  <Td>
                    <Link
                      href={`/devices/${encodeURIComponent(c.id)}`}
                      className="font-medium text-accent-700 hover:underline dark:text-accent-300"
                    >
                      {c.name ?? `Object ${c.id}`}
                    </Link>
                  </Td>
                  <Td className="font-mono text-xs">{c.type ?? "–"}</Td>
                  <Td>
                    <RoleBadges device={c} />
                  </Td>
                  <Td className="font-mono text-xs">{c.id}</Td>
                  {canEdit && (
                    <Td className="text-right whitespace-nowrap">
                      <Button size="sm" variant="ghost" onClick={() => onUnlink(c)}>
                        Unlink<span className="sr-only"> {c.name ?? c.id}</span>
                      </Button>
                      <Button size="sm" variant="ghost" onClick={() => onDelete(c)}>
                        Delete…<span className="sr-only"> {c.name ?? c.id}</span>
                      </Button>
                    </Td>
                  )}
                </Tr>
              ))}
            </TBody>
          </Table>
          <Pagination
            label={`${title} pages`}
            page={page}
            pageSize={pageSize}
            total={total}
            pageSizes={CHILD_PAGE_SIZES}
            onPageChange={setPage}
            onPageSizeChange={(size) => {
              setPageSize(size);
              setPage(1);
            }}
          />
        </>
      )}
    </Card>
  );
}
