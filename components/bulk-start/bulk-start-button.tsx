"use client";

import { Rocket } from "lucide-react";
import { useId, type ReactNode } from "react";
import { bulkStartBlocker } from "@/lib/schemas/bulk-create";
import { useSessionUser } from "@/components/shell/session-user-provider";
import { Button, type ButtonProps } from "@/components/ui/button";

/**
 * The way into a bulk operation. Without the role it stays visible but disabled, with the reason next to it (an
 * operator should learn why, not wonder where the action went).
 */
export function BulkStartButton({
  target,
  onClick,
  children,
  variant,
  size,
}: {
  target: "group" | "selection";
  onClick: () => void;
  children: ReactNode;
  variant?: ButtonProps["variant"];
  size?: ButtonProps["size"];
}) {
  const reasonId = useId();
  const blocker = bulkStartBlocker(useSessionUser(), target);
  return (
    <span className="inline-flex flex-col gap-1">
      <Button
        variant={variant}
        size={size}
        onClick={onClick}
        disabled={blocker !== null}
        aria-describedby={blocker ? reasonId : undefined}
      >
        <Rocket className="size-4" aria-hidden="true" />
        {children}
      </Button>
      {blocker && (
        <span id={reasonId} className="max-w-80 text-xs text-slate-600 dark:text-slate-400">
          {blocker}
        </span>
      )}
    </span>
  );
}
