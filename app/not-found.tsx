import { Compass } from "lucide-react";
import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

export default function NotFound() {
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-xl flex-col justify-center px-6">
      <h1 className="sr-only">Page not found</h1>
      <EmptyState
        icon={<Compass className="size-6" />}
        title="There is no page here"
        action={
          <Link href="/registrations" className={buttonClasses({ variant: "primary" })}>
            Go to device registration
          </Link>
        }
      >
        The address may be mistyped, or what it pointed to no longer exists.
      </EmptyState>
    </main>
  );
}
