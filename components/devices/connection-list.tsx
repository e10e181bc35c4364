"use client";

import { useQuery } from "@tanstack/react-query";
import { PlugZap } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { CONNECTION_PAGE_SIZE, deviceTreeQueries } from "@/lib/queries/device-tree";
import type { ConnectionFilter } from "@/lib/schemas/device";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { RelativeTime } from "@/components/ui/relative-time";
import { TableSkeleton } from "@/components/ui/skeleton";
import { TBody, THead, Table, TableCaption, Td, Th, Tr } from "@/components/ui/table";
import { ConnectionBadge } from "./connection-badge";
import { KIND_LABEL, NodeKindIcon, displayName } from "./node-kind";

const WORDS: Record<ConnectionFilter, string> = {
  CONNECTED: "connected",
  DISCONNECTED: "disconnected",
  UNAVAILABLE: "unavailable",
};

/**
 * The devices in one presence state, by name, a page at a time. Live device events refetch it (a device that
 * connects leaves the disconnected list without a reload).
 */
export function ConnectionList({ status }: { status: ConnectionFilter }) {
  const [page, setPage] = useState(1);
  const list = useQuery(deviceTreeQueries.connection(status, page));
  const word = WORDS[status];
  let body;
  if (list.isPending) body = <TableSkeleton rows={5} columns={4} label={`Loading ${word} devices`} />;
  else if (list.isError)
    body = (
      <ErrorState
        error={list.error}
        title={`The ${word} devices could not be loaded`}
        onRetry={() => void list.refetch()}
      />
    );
  else if (list.data.items.length === 0)
    body = (
      <EmptyState icon={<PlugZap className="size-6" />} title={`No ${word} devices`}>
        Only monitored devices (with c8y_RequiredAvailability) report a connection. Choose another filter, or
        All to browse the tree.
      </EmptyState>
    );
  else
    body = (
      <Table>
        <TableCaption>Devices {word}</TableCaption>
        <THead>
          <tr>
            <Th>Device</Th>
            <Th>Kind</Th>
            <Th>Connection</Th>
            <Th>Last seen</Th>
          </tr>
        </THead>
        <TBody>
          {list.data.items.map((node) => (
            <Tr key={node.id}>
              <Td>
                <Link
                  href={`/devices/${node.id}`}
                  className="inline-flex items-center gap-2 font-medium text-accent-700 hover:underline dark:text-accent-300"
                >
                  <NodeKindIcon kind={node.kind} />
                  {displayName(node)}
                </Link>
              </Td>
              <Td>{KIND_LABEL[node.kind]}</Td>
              <Td>
                <ConnectionBadge connection={node.connection} />
              </Td>
              <Td>
                {node.connection?.lastMessage ? <RelativeTime iso={node.connection.lastMessage} /> : "–"}
              </Td>
            </Tr>
          ))}
        </TBody>
      </Table>
    );
  const total = list.data?.total;
  return (
    <Card>
      <p
        role="status"
        className="border-b border-slate-200 px-4 py-3 text-sm text-slate-700 dark:border-slate-800 dark:text-slate-300"
      >
        {total === null || total === undefined
          ? `Devices ${word}`
          : `${total.toLocaleString("en")} ${total === 1 ? "device" : "devices"} ${word}`}
      </p>
      {body}
      {(page > 1 || list.data?.hasMore) && (
        <nav aria-label="Pages" className="flex items-center justify-end gap-2 px-4 py-3 text-sm">
          <span className="text-slate-600 dark:text-slate-400">
            Page {page}
            {total ? ` of ${Math.max(1, Math.ceil(total / CONNECTION_PAGE_SIZE))}` : ""}
          </span>
          <Button onClick={() => setPage((p) => p - 1)} disabled={page === 1}>
            Previous
          </Button>
          <Button onClick={() => setPage((p) => p + 1)} disabled={!list.data?.hasMore}>
            Next
          </Button>
        </nav>
      )}
    </Card>
  );
}
