"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { acceptIds, registerIds, registrationKeys } from "@/lib/queries/registrations";
import { useChunkedRun } from "@/lib/queries/use-chunked-run";
import { describeError } from "@/components/ui/error-state";
import { useToast } from "@/components/ui/toast";
import { useSessionUser } from "@/components/shell/session-user-provider";
import { BulkRunPanel } from "./bulk-run-panel";
import { RegisterPanel } from "./register-panel";
import { RegistrationList } from "./registration-list";
import { useRegistrationSearch } from "./use-registration-search";

const fmt = (n: number) => n.toLocaleString("en");

/** The registration page: register, watch the requests arrive, accept them one by one or in bulk. */
export function RegistrationsView() {
  const user = useSessionUser();
  const canAdmin = user.can.adminRegistrations;
  const [query, setQuery] = useRegistrationSearch();
  const run = useChunkedRun(registrationKeys.all);
  const toast = useToast();
  const queryClient = useQueryClient();
  const busy = run.state.phase === "running";

  const acceptOne = useMutation({
    mutationFn: async (id: string) => {
      const [result] = await acceptIds([id]);
      if (!result?.ok) throw new Error(result?.error ?? "The platform did not confirm the acceptance.");
    },
    onSuccess: (_, id) =>
      toast({
        tone: "success",
        title: `${id} accepted`,
        description: "The device receives its credentials on its next request.",
      }),
    onError: (error, id) =>
      toast({ tone: "error", title: `Could not accept ${id}`, description: describeError(error).message }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: registrationKeys.all }),
  });

  const register = (ids: string[]) =>
    void run.start({
      label: ids.length === 1 ? `Registering ${ids[0]}` : `Registering ${fmt(ids.length)} devices`,
      verb: "registered",
      ids,
      run: registerIds,
    });
  const acceptMany = (ids: string[], label: string) =>
    void run.start({ label, verb: "accepted", ids, run: acceptIds });

  return (
    <>
      {canAdmin ? (
        <RegisterPanel busy={busy} onRegister={register} />
      ) : (
        <p className="mb-6 rounded-md border border-slate-200 bg-white px-4 py-3 text-sm text-slate-700 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-300">
          You can follow registrations here. Registering and accepting devices needs the device control admin
          role.
        </p>
      )}
      <BulkRunPanel state={run.state} onCancel={run.cancel} onDismiss={run.reset} />
      <RegistrationList
        query={query}
        onQueryChange={setQuery}
        canAdmin={canAdmin}
        busy={busy}
        onAcceptMany={acceptMany}
        acceptingId={acceptOne.isPending ? (acceptOne.variables ?? null) : null}
        onAcceptOne={(id) => acceptOne.mutate(id)}
      />
    </>
  );
}
