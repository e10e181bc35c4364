"use client";

import { useQueryClient } from "@tanstack/react-query";
import { LogOut } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { signOut } from "@/lib/queries/session";

/**
 * Ends the session on the server, forgets every cached answer, and goes to the sign-in page with a full
 * navigation so nothing of the previous operator stays in memory.
 */
export function SignOutButton() {
  const queryClient = useQueryClient();
  const [pending, setPending] = useState(false);
  const onClick = async () => {
    setPending(true);
    try {
      await signOut();
    } catch {
      // Even if the server could not be told, leave: the session cookie is HttpOnly and expires anyway.
    }
    queryClient.clear();
    window.location.assign("/login");
  };
  return (
    <Button variant="ghost" size="sm" onClick={onClick} loading={pending}>
      {!pending && <LogOut className="size-4" aria-hidden="true" />}
      Sign out
    </Button>
  );
}
