"use client";

import { createContext, useContext, type ReactNode } from "react";
import type { SessionUserDto } from "@/lib/schemas/session";

const SessionUserContext = createContext<SessionUserDto | null>(null);

/** Hands the signed-in operator (read on the server by the console layout) to client components below. */
export function SessionUserProvider({ user, children }: { user: SessionUserDto; children: ReactNode }) {
  return <SessionUserContext.Provider value={user}>{children}</SessionUserContext.Provider>;
}

/** The signed-in operator; only usable inside the console layout. */
export function useSessionUser(): SessionUserDto {
  const user = useContext(SessionUserContext);
  if (!user) throw new Error("useSessionUser is only available inside the console layout");
  return user;
}
