"use client";

import { useId, type ReactNode } from "react";
import { Button, type ButtonVariant } from "@/components/ui/button";

/**
 * A bulk operation action that may be unavailable: then it stays visible but disabled, and says why (the missing
 * role, or the state the platform would refuse), read with the button by screen readers.
 */
export function ActionButton({
  children,
  unavailable,
  onClick,
  variant = "secondary",
  loading,
}: {
  children: ReactNode;
  /** Why the action cannot be used now; null when it can. */
  unavailable: string | null;
  onClick: () => void;
  variant?: ButtonVariant;
  loading?: boolean;
}) {
  const id = useId();
  return (
    <div className="flex max-w-64 flex-col gap-1">
      <Button
        variant={variant}
        size="sm"
        onClick={onClick}
        disabled={unavailable !== null}
        loading={loading}
        aria-describedby={unavailable ? id : undefined}
      >
        {children}
      </Button>
      {unavailable && (
        <p id={id} className="text-xs text-slate-600 dark:text-slate-400">
          {unavailable}
        </p>
      )}
    </div>
  );
}

export const NO_ADMIN_ROLE =
  "Your user lacks the bulk operation admin role (ROLE_BULK_OPERATION_ADMIN); ask an administrator.";
