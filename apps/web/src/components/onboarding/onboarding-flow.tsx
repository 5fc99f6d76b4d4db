"use client";
import { useMutation } from "@tanstack/react-query";
import { CheckCircle2, Database, Sparkles } from "lucide-react";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormAlert, TextField } from "@/components/ui/field";
import { slugify } from "@/lib/format";
import { toFormError } from "@/lib/trpc-errors";
import { useTRPC } from "@/trpc/react";

export function OnboardingFlow({ userName }: { userName: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [slugEdited, setSlugEdited] = useState(false);
  const create = useMutation(trpc.workspace.create.mutationOptions());
  const loadDemo = useMutation(trpc.demo.load.mutationOptions());
  const created = create.data;

  const shownSlug = slugEdited ? slug : slugify(name);
  const formError = toFormError(create.error);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ name, ...(shownSlug ? { slug: shownSlug } : {}) });
  }

  if (created) {
    const go = () => router.push(`/w/${created.slug}`);
    return (
      <Card className="p-8">
        <CheckCircle2 className="size-8 text-emerald-500" aria-hidden />
        <h1 className="mt-4 text-xl font-semibold tracking-tight text-zinc-900">{created.name} is ready</h1>
        <p className="mt-2 text-sm leading-6 text-zinc-500">
          Want something to look at first? The demo adds a sample warehouse with a few thousand customers and companies, and a
          destination that shows every record it receives — no SaaS account needed.
        </p>
        {loadDemo.error ? (
          <div className="mt-4">
            <FormAlert>{loadDemo.error.message}</FormAlert>
          </div>
        ) : null}
        <div className="mt-8 flex flex-wrap gap-3">
          <Button
            loading={loadDemo.isPending}
            onClick={() => loadDemo.mutate({ workspace: created.slug }, { onSuccess: go })}
            disabled={loadDemo.isSuccess}
          >
            <Database className="size-4" aria-hidden />
            {loadDemo.isPending ? "Loading demo data…" : "Load demo data"}
          </Button>
          <Button variant="secondary" onClick={go} disabled={loadDemo.isPending}>
            Start with an empty workspace
          </Button>
        </div>
      </Card>
    );
  }

  return (
    <Card className="p-8">
      <Sparkles className="size-7 text-brand-600" aria-hidden />
      <h1 className="mt-4 text-xl font-semibold tracking-tight text-zinc-900">
        Welcome{userName ? `, ${userName.split(" ")[0]}` : ""}. Create your workspace.
      </h1>
      <p className="mt-2 text-sm leading-6 text-zinc-500">
        A workspace holds your sources, destinations, models and syncs. Joining a teammate's workspace instead? Ask one of its
        admins to add you by your email; it will appear here once they have.
      </p>
      <form className="mt-8 space-y-5" onSubmit={onSubmit} noValidate>
        {formError?.message && !Object.keys(formError.fieldErrors).length ? <FormAlert>{formError.message}</FormAlert> : null}
        <TextField
          label="Workspace name"
          name="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="Acme Data Team"
          errors={formError?.fieldErrors.name}
          autoFocus
        />
        <TextField
          label="URL"
          name="slug"
          value={shownSlug}
          onChange={(e) => {
            setSlugEdited(true);
            setSlug(e.target.value);
          }}
          hint={`Your workspace will live at /w/${shownSlug || "…"}`}
          errors={formError?.fieldErrors.slug}
          className="font-mono"
        />
        <Button type="submit" size="lg" className="w-full" loading={create.isPending}>
          Create workspace
        </Button>
      </form>
    </Card>
  );
}
