import { Spinner } from "@/components/ui/spinner";

export default function LoginLoading() {
  return (
    <main className="flex min-h-screen items-center justify-center" aria-busy="true">
      <Spinner />
      <span className="sr-only">Loading the sign-in page</span>
    </main>
  );
}
