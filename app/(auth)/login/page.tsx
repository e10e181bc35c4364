import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { Card, CardBody } from "@/components/ui/card";
import { platformBaseUrl } from "@/lib/server/env";
import { safeNextPath } from "@/lib/server/safe-next";
import { getSessionUser } from "@/lib/server/session";

export const metadata: Metadata = { title: "Sign in" };

/** The sign-in page; an operator who is signed in already goes straight on to `next`. */
export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string | string[] }>;
}) {
  const { next } = await searchParams;
  const target = safeNextPath(typeof next === "string" ? next : null);
  if (await getSessionUser()) redirect(target);
  const platformHost = new URL(platformBaseUrl()).host;

  return (
    <main className="flex min-h-screen items-center justify-center bg-slate-50 px-4 py-12 dark:bg-slate-950">
      <div className="w-full max-w-sm">
        <h1 className="mb-1 text-center text-2xl font-semibold tracking-tight">c8y console</h1>
        <p className="mb-6 text-center text-sm text-slate-600 dark:text-slate-400">
          Sign in with your Cumulocity user on <span className="font-mono">{platformHost}</span>
        </p>
        <Card>
          <CardBody>
            <LoginForm next={target} />
          </CardBody>
        </Card>
      </div>
    </main>
  );
}
