"use client";
import { SignInInput } from "@sluice/contracts/auth";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/button";
import { FormAlert, TextField } from "@/components/ui/field";
import { authClient } from "@/lib/auth-client";
import { fieldErrorsFromZod } from "@/lib/field-errors";
import type { FormError } from "@/lib/trpc-errors";
import { authFormError } from "./auth-errors";

export function SignInForm() {
  const router = useRouter();
  const [error, setError] = useState<FormError | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = SignInInput.safeParse({ email: form.get("email"), password: form.get("password") });
    if (!parsed.success) {
      setError({ message: "", fieldErrors: fieldErrorsFromZod(parsed.error) });
      return;
    }
    setPending(true);
    setError(null);
    const { error: authError } = await authClient.signIn.email(parsed.data);
    if (authError) {
      setPending(false);
      setError(authFormError(authError));
      return;
    }
    router.replace("/");
  }

  const fe = error?.fieldErrors ?? {};
  return (
    <div>
      <h1 className="text-2xl font-semibold tracking-tight text-zinc-900">Sign in</h1>
      <p className="mt-2 text-sm text-zinc-500">Welcome back. Pick up where your syncs left off.</p>
      <form className="mt-8 space-y-5" onSubmit={onSubmit} noValidate>
        {error?.message ? <FormAlert>{error.message}</FormAlert> : null}
        <TextField label="Email" name="email" type="email" autoComplete="email" errors={fe.email} />
        <TextField label="Password" name="password" type="password" autoComplete="current-password" errors={fe.password} />
        <Button type="submit" size="lg" className="w-full" loading={pending}>
          Sign in
        </Button>
      </form>
      <p className="mt-8 text-sm text-zinc-500">
        New here?{" "}
        <Link href="/sign-up" className="font-medium text-brand-700 hover:text-brand-800">
          Create an account
        </Link>
      </p>
    </div>
  );
}
