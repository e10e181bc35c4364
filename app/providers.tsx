"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { BffError } from "@/lib/queries/api-client";
import { ToastProvider } from "@/components/ui/toast";
import { useTheme } from "@/components/theme/use-theme";

/** Retrying helps with a flaky network or a platform hiccup, never with a 4xx: that answer will not change. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof BffError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 30_000, retry: shouldRetry, refetchOnWindowFocus: true },
      mutations: { retry: false },
    },
  });
}

/** Keeps the theme class right after React's development remount of <html> (a no-op in production). */
function ThemeSync() {
  useTheme();
  return null;
}

export function Providers({ children }: { children: ReactNode }) {
  // One client per browser session (and per server render): created once, not on every render.
  const [queryClient] = useState(makeQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <ThemeSync />
        {children}
      </ToastProvider>
    </QueryClientProvider>
  );
}
