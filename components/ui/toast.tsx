"use client";

import { clsx } from "clsx";
import { CircleAlert, CircleCheck, Info, X } from "lucide-react";
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from "react";

export type ToastTone = "info" | "success" | "error";
export interface ToastInput {
  title: string;
  description?: string;
  tone?: ToastTone;
}
interface Toast extends Required<Omit<ToastInput, "description">> {
  id: number;
  description?: string;
}

const ToastContext = createContext<((toast: ToastInput) => void) | null>(null);

/** `const toast = useToast(); toast({ title: "Accepted gw-1", tone: "success" })`. */
export function useToast() {
  const push = useContext(ToastContext);
  if (!push) throw new Error("useToast needs a <ToastProvider> above it");
  return push;
}

const LIFETIME_MS = { info: 6000, success: 6000, error: 12000 } as const;
const ICONS = { info: Info, success: CircleCheck, error: CircleAlert } as const;

/**
 * Holds the notification region. The region is always in the page (live regions only announce changes to
 * something that already exists); errors stay twice as long and are announced with an "Error:" prefix.
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const push = useCallback((input: ToastInput) => {
    const toast: Toast = {
      id: nextId.current++,
      title: input.title,
      description: input.description,
      tone: input.tone ?? "info",
    };
    setToasts((all) => [...all.slice(-4), toast]);
  }, []);
  const value = useMemo(() => push, [push]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div
        aria-live="polite"
        aria-label="Notifications"
        role="region"
        className="pointer-events-none fixed right-4 bottom-4 z-[60] flex w-[min(24rem,calc(100vw-2rem))] flex-col gap-2"
      >
        {toasts.map((t) => (
          <ToastItem key={t.id} toast={t} onDismiss={dismiss} />
        ))}
      </div>
    </ToastContext.Provider>
  );
}

function ToastItem({ toast, onDismiss }: { toast: Toast; onDismiss: (id: number) => void }) {
  useEffect(() => {
    const timer = setTimeout(() => onDismiss(toast.id), LIFETIME_MS[toast.tone]);
    return () => clearTimeout(timer);
  }, [toast.id, toast.tone, onDismiss]);
  const Icon = ICONS[toast.tone];
  return (
    <div
      className={clsx(
        "pointer-events-auto flex items-start gap-3 rounded-lg border bg-white p-3 shadow-lg dark:bg-slate-900",
        toast.tone === "error"
          ? "border-red-300 dark:border-red-800"
          : "border-slate-200 dark:border-slate-700",
      )}
    >
      <Icon
        className={clsx(
          "mt-0.5 size-5 shrink-0",
          { info: "text-accent-600", success: "text-emerald-600", error: "text-red-600" }[toast.tone],
        )}
        aria-hidden="true"
      />
      <div className="min-w-0 flex-1">
        <p className="text-sm font-medium break-words text-slate-900 dark:text-slate-100">
          {toast.tone === "error" && <span className="sr-only">Error: </span>}
          {toast.title}
        </p>
        {toast.description && (
          <p className="mt-0.5 text-sm break-words text-slate-600 dark:text-slate-400">{toast.description}</p>
        )}
      </div>
      <button
        type="button"
        onClick={() => onDismiss(toast.id)}
        className="-m-1 rounded p-1 text-slate-500 hover:text-slate-800 dark:hover:text-slate-200"
        aria-label="Dismiss notification"
      >
        <X className="size-4" aria-hidden="true" />
      </button>
    </div>
  );
}
