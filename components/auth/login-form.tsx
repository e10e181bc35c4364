"use client";

import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { describedBy, Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { BffError, apiFetch } from "@/lib/queries/api-client";
import { sessionUserDtoSchema } from "@/lib/schemas/session";

type FieldName = "tenant" | "username" | "password";

/**
 * Sign-in form. The BFF does the platform login; this only posts the three fields and, on success, navigates
 * (a full load, so the server layout reads the new session) to the already sanitised `next` path.
 */
export function LoginForm({ next }: { next: string }) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<FieldName, string>>>({});

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: FieldName) => {
      const v = form.get(name);
      return typeof v === "string" ? v : "";
    };
    setPending(true);
    setError(null);
    setFieldErrors({});
    try {
      await apiFetch("/api/auth/login", {
        method: "POST",
        body: {
          tenant: value("tenant").trim() || undefined,
          username: value("username"),
          password: value("password"),
        },
        schema: sessionUserDtoSchema,
      });
      window.location.assign(next);
    } catch (err) {
      setPending(false);
      if (err instanceof BffError) {
        if (err.code === "invalid_input" && err.fields) setFieldErrors(err.fields);
        else
          setError(
            err.code === "internal" && err.requestId
              ? `${err.message} (reference ${err.requestId})`
              : err.message,
          );
      } else setError("Signing in failed unexpectedly. Reload the page and try again.");
    }
  };

  return (
    <form
      onSubmit={onSubmit}
      noValidate
      className="flex flex-col gap-4"
      aria-describedby={error ? "login-error" : undefined}
    >
      {error && (
        <p
          id="login-error"
          role="alert"
          className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
        >
          {error}
        </p>
      )}
      <TextField
        name="tenant"
        label="Tenant"
        error={fieldErrors.tenant}
        autoComplete="organization"
        hint="Optional: leave empty when the platform address already names your tenant."
      />
      <TextField
        name="username"
        label="Username"
        error={fieldErrors.username}
        autoComplete="username"
        required
      />
      <TextField
        name="password"
        label="Password"
        error={fieldErrors.password}
        autoComplete="current-password"
        type="password"
        required
      />
      <Button type="submit" variant="primary" loading={pending} className="mt-2 w-full">
        Sign in
      </Button>
    </form>
  );
}

function TextField(props: {
  name: FieldName;
  label: string;
  error?: string;
  hint?: string;
  autoComplete: string;
  type?: string;
  required?: boolean;
}) {
  const id = `login-${props.name}`;
  return (
    <Field id={id} label={props.label} hint={props.hint} error={props.error}>
      <Input
        id={id}
        name={props.name}
        type={props.type ?? "text"}
        autoComplete={props.autoComplete}
        required={props.required}
        spellCheck={false}
        autoCapitalize="none"
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(id, { hint: props.hint, error: props.error })}
      />
    </Field>
  );
}
