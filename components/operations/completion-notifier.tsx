"use client";

import { useQueries } from "@tanstack/react-query";
import { useEffect } from "react";
import { useLiveTopics } from "@/lib/queries/live/use-live-events";
import { operationQueries } from "@/lib/queries/operations";
import type { LiveTopic } from "@/lib/schemas/events";
import { isFinalStatus } from "@/lib/schemas/operations";
import { useToast } from "@/components/ui/toast";
import { takeStarted, useStartedOperations } from "./started-here";

const clip = (text: string, max = 240) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * Tells the operator when an operation they started in this tab finishes. Each one is watched through its detail
 * query, which live events patch (the tab follows the operations of their devices; without a live stream the
 * detail polls), so the toast comes as soon as the tab learns the final status. Renders nothing.
 */
export function OperationCompletionNotifier() {
  const started = useStartedOperations();
  const toast = useToast();
  const results = useQueries({ queries: started.map((s) => operationQueries.detail(s.id)) });
  // Their devices' events, also where the page itself follows other ones.
  useLiveTopics(started.map((s): LiveTopic => `operations:${s.deviceId}`));

  useEffect(() => {
    results.forEach((result, i) => {
      const entry = started[i];
      if (!entry) return;
      // Deleted meanwhile: nothing will ever finish.
      if (result.error && "status" in result.error && result.error.status === 404) {
        takeStarted(entry.id);
        return;
      }
      const op = result.data?.operation;
      if (!op || !isFinalStatus(op.status) || !takeStarted(entry.id)) return;
      if (op.status === "SUCCESSFUL")
        toast({
          tone: "success",
          title: `${entry.label} succeeded`,
          description: op.command?.result ? clip(op.command.result) : undefined,
        });
      else
        toast({
          tone: "error",
          title: `${entry.label} failed`,
          description: op.failureReason ? clip(op.failureReason) : "The device gave no reason.",
        });
    });
  });
  return null;
}
