"use client";
import type { ApiKeyRole } from "@sluice/contracts/roles";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AlertTriangle, Check, Copy, KeyRound, Plus, ShieldAlert } from "lucide-react";
import { type FormEvent, useState } from "react";
import { useWorkspace } from "@/components/shell/workspace-context";
import { RoleBadge } from "@/components/shell/workspace-shell";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { FormAlert, SelectField, TextField } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { ErrorBlock, LoadingBlock } from "@/components/ui/spinner";
import { Table, Td, Th } from "@/components/ui/table";
import { formatDateTime, timeAgo } from "@/lib/format";
import { toFormError } from "@/lib/trpc-errors";
import { useTRPC } from "@/trpc/react";

export function ApiKeysPage() {
  const ws = useWorkspace();
  if (!ws.can("apiKey.read")) {
    return (
      <div>
        <PageHeader title="API keys" />
        <Card>
          <EmptyState icon={ShieldAlert} title="Admins only">
            API keys act for the whole workspace, so only admins and owners can see and manage them. Your role is {ws.role}.
          </EmptyState>
        </Card>
      </div>
    );
  }
  return <ApiKeysManager />;
}

function ApiKeysManager() {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const queryClient = useQueryClient();
  const keys = useQuery(trpc.apiKey.list.queryOptions({ workspace: ws.slug }));
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<{ id: string; name: string } | null>(null);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.apiKey.list.queryKey() });
  const revoke = useMutation(trpc.apiKey.revoke.mutationOptions({ onSuccess: () => setRevoking(null), onSettled: invalidate }));
  const canManage = ws.can("apiKey.manage");

  return (
    <div>
      <PageHeader
        title="API keys"
        description={
          <>
            Keys for the REST API and the CLI. Send one as{" "}
            <code className="rounded bg-zinc-100 px-1 py-0.5 text-xs">Authorization: Bearer slk_…</code>. Each key acts for this
            workspace with the role you give it.
          </>
        }
        actions={
          canManage ? (
            <Button onClick={() => setCreating(true)}>
              <Plus className="size-4" aria-hidden /> Create key
            </Button>
          ) : null
        }
      />
      {keys.isPending ? (
        <LoadingBlock />
      ) : keys.error ? (
        <ErrorBlock message={keys.error.message} />
      ) : keys.data.length === 0 ? (
        <Card>
          <EmptyState
            icon={KeyRound}
            title="No API keys yet"
            actions={
              canManage ? (
                <Button onClick={() => setCreating(true)}>
                  <Plus className="size-4" aria-hidden /> Create your first key
                </Button>
              ) : null
            }
          >
            Create a key to call the REST API or run the CLI against this workspace. Give it the smallest role that does the job —
            a viewer key for dashboards, an editor key to trigger syncs.
          </EmptyState>
        </Card>
      ) : (
        <Card>
          <Table>
            <thead className="bg-zinc-50/60">
              <tr>
                <Th>Name</Th>
                <Th>Key</Th>
                <Th>Role</Th>
                <Th>Created</Th>
                <Th>Last used</Th>
                <Th className="text-right">Status</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {keys.data.map((k) => (
                <tr key={k.id} className={k.revokedAt ? "opacity-60" : undefined}>
                  <Td className="font-medium text-zinc-900">{k.name}</Td>
                  <Td className="font-mono text-xs">{k.prefix}…</Td>
                  <Td>
                    <RoleBadge role={k.role} />
                  </Td>
                  <Td className="whitespace-nowrap text-zinc-500">{formatDateTime(k.createdAt)}</Td>
                  <Td className="whitespace-nowrap text-zinc-500">{timeAgo(k.lastUsedAt)}</Td>
                  <Td className="text-right">
                    {k.revokedAt ? (
                      <Badge tone="red">Revoked {timeAgo(k.revokedAt)}</Badge>
                    ) : canManage ? (
                      <Button variant="ghost" size="sm" onClick={() => setRevoking({ id: k.id, name: k.name })}>
                        Revoke
                      </Button>
                    ) : (
                      <Badge tone="green">Active</Badge>
                    )}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </Card>
      )}

      <CreateKeyDialog open={creating} onClose={() => setCreating(false)} onCreated={invalidate} />

      <Dialog
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        title={`Revoke “${revoking?.name ?? ""}”?`}
        description="Anything using this key stops working immediately. This cannot be undone."
      >
        {revoke.error ? <FormAlert>{revoke.error.message}</FormAlert> : null}
        <div className="mt-4 flex justify-end gap-3">
          <Button variant="secondary" onClick={() => setRevoking(null)}>
            Cancel
          </Button>
          <Button
            variant="danger"
            loading={revoke.isPending}
            onClick={() => revoking && revoke.mutate({ workspace: ws.slug, id: revoking.id })}
          >
            Revoke key
          </Button>
        </div>
      </Dialog>
    </div>
  );
}

function CreateKeyDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: () => void }) {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const create = useMutation(trpc.apiKey.create.mutationOptions({ onSuccess: onCreated }));
  const [copied, setCopied] = useState(false);
  const error = toFormError(create.error);
  const close = () => {
    create.reset();
    setCopied(false);
    onClose();
  };

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    create.mutate({ workspace: ws.slug, name: String(form.get("name") ?? ""), role: String(form.get("role")) as ApiKeyRole });
  }

  async function copy(text: string) {
    await navigator.clipboard.writeText(text);
    setCopied(true);
  }

  if (create.data) {
    const { plaintext, apiKey } = create.data;
    return (
      <Dialog open={open} onClose={close} title={`“${apiKey.name}” is ready`}>
        <div className="flex gap-3 rounded-lg bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-amber-200 ring-inset">
          <AlertTriangle className="mt-0.5 size-4 shrink-0 text-amber-600" aria-hidden />
          <p>
            Copy this key now. <strong>You won't be able to see it again</strong> — Sluice keeps only a hash of it.
          </p>
        </div>
        <div className="mt-4 flex items-center gap-2">
          <code
            data-testid="api-key-plaintext"
            className="block min-w-0 flex-1 truncate rounded-lg bg-zinc-900 px-3 py-2.5 font-mono text-xs text-zinc-100 select-all"
          >
            {plaintext}
          </code>
          <Button variant="secondary" onClick={() => copy(plaintext)} aria-label="Copy key">
            {copied ? <Check className="size-4 text-emerald-600" aria-hidden /> : <Copy className="size-4" aria-hidden />}
            {copied ? "Copied" : "Copy"}
          </Button>
        </div>
        <div className="mt-6 flex justify-end">
          <Button onClick={close}>Done</Button>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog
      open={open}
      onClose={close}
      title="Create an API key"
      description="The key acts for this workspace with the role you pick."
    >
      <form className="space-y-4" onSubmit={onSubmit} noValidate>
        {error && !Object.keys(error.fieldErrors).length ? <FormAlert>{error.message}</FormAlert> : null}
        <TextField label="Name" name="name" placeholder="e.g. CI pipeline" errors={error?.fieldErrors.name} autoFocus />
        <SelectField label="Role" name="role" defaultValue="viewer" errors={error?.fieldErrors.role}>
          <option value="viewer">Viewer — read only</option>
          <option value="editor">Editor — change models and syncs, trigger runs</option>
          <option value="admin">Admin — also sources, destinations, members and keys</option>
        </SelectField>
        <div className="flex justify-end gap-3 pt-2">
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Create key
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
