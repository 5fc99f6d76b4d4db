"use client";
import { SignUpInput } from "@sluice/contracts/auth";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/button";
import { FormAlert, TextField } from "@/components/ui/field";
import { authClient } from "@/lib/auth-client";
import { fieldErrorsFromZod } from "@/lib/field-errors";
import type { FormError } from "@/lib/trpc-errors";
import { authFormError } from "./auth-errors";

export function SignUpForm({ firstUser }: { firstUser: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<FormError | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = SignUpInput.safeParse({ name: form.get("name"), email: form.get("email"), password: form.get("password") });
    if (!parsed.success) {
      setError({ message: "", fieldErrors: fieldErrorsFromZod(parsed.error) });
      return;
    }
    setPending(true);
    setError(null);
    const { error: authError } = await authClient.signUp.email(parsed.data);
    if (authError) {
      setPending(false);
      setError(authFormError(authError));
      return;
    }
    router.replace("/onboarding");
  }

  const fe = error?.fieldErrors ?? {};
  return (
    <div>
      <h1 className="text-2xl font-semibold tracking-tight text-zinc-900">
        {firstUser ? "Welcome to Sluice" : "Create your account"}
      </h1>
      <p className="mt-2 text-sm leading-6 text-zinc-500">
        {firstUser
          ? "Create the first account on this Sluice. Next you'll name your workspace and can load a demo to look around."
          : "Create an account, then start a workspace or ask a teammate to add you to theirs."}
      </p>
      <form className="mt-8 space-y-5" onSubmit={onSubmit} noValidate>
        {error?.message ? <FormAlert>{error.message}</FormAlert> : null}
        <TextField label="Your name" name="name" autoComplete="name" errors={fe.name} placeholder="Ada Lovelace" />
        <TextField
          label="Work email"
          name="email"
          type="email"
          autoComplete="email"
          errors={fe.email}
          placeholder="ada@company.com"
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          errors={fe.password}
          hint="At least 10 characters."
        />
        <Button type="submit" size="lg" className="w-full" loading={pending}>
          Create account
        </Button>
      </form>
      <p className="mt-8 text-sm text-zinc-500">
        Already have an account?{" "}
        <Link href="/sign-in" className="font-medium text-brand-700 hover:text-brand-800">
          Sign in
        </Link>
      </p>
    </div>
  );
}
