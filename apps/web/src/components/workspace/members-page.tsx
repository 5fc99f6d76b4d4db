"use client";
import type { Role } from "@sluice/contracts/roles";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { UserPlus, Users } from "lucide-react";
import { type FormEvent, useState } from "react";
import { useWorkspace } from "@/components/shell/workspace-context";
import { RoleBadge } from "@/components/shell/workspace-shell";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { FormAlert, SelectField, TextField } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { ErrorBlock, LoadingBlock } from "@/components/ui/spinner";
import { Table, Td, Th } from "@/components/ui/table";
import { formatDateTime } from "@/lib/format";
import { toFormError } from "@/lib/trpc-errors";
import { useTRPC } from "@/trpc/react";

const ROLE_HELP: Record<Role, string> = {
  owner: "Everything, including the workspace itself",
  admin: "Sources, destinations, members and API keys",
  editor: "Models and syncs",
  viewer: "Sees everything, changes nothing",
};

export function MembersPage() {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const queryClient = useQueryClient();
  const members = useQuery(trpc.member.list.queryOptions({ workspace: ws.slug }));
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<{ userId: string; name: string } | null>(null);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.member.list.queryKey() });
  const changeRole = useMutation(trpc.member.changeRole.mutationOptions({ onSettled: invalidate }));
  const remove = useMutation(trpc.member.remove.mutationOptions({ onSuccess: () => setRemoving(null), onSettled: invalidate }));
  const canManage = ws.can("member.manage");
  const grantable: Role[] = ws.role === "owner" ? ["owner", "admin", "editor", "viewer"] : ["admin", "editor", "viewer"];

  return (
    <div>
      <PageHeader
        title="Members"
        description="People in this workspace and what their role lets them do."
        actions={
          canManage ? (
            <Button onClick={() => setAdding(true)}>
              <UserPlus className="size-4" aria-hidden /> Add member
            </Button>
          ) : null
        }
      />
      {changeRole.error ? (
        <div className="mb-4">
          <FormAlert>{changeRole.error.message}</FormAlert>
        </div>
      ) : null}
      {members.isPending ? (
        <LoadingBlock />
      ) : members.error ? (
        <ErrorBlock message={members.error.message} />
      ) : members.data.length === 0 ? (
        <Card>
          <EmptyState icon={Users} title="No members" />
        </Card>
      ) : (
        <Card>
          <Table>
            <thead className="bg-zinc-50/60">
              <tr>
                <Th>Member</Th>
                <Th>Role</Th>
                <Th>Joined</Th>
                {canManage ? <Th className="text-right">Actions</Th> : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {members.data.map((m) => (
                <tr key={m.userId}>
                  <Td>
                    <p className="font-medium text-zinc-900">{m.name}</p>
                    <p className="text-xs text-zinc-500">{m.email}</p>
                  </Td>
                  <Td>
                    {canManage && (m.role !== "owner" || ws.role === "owner") ? (
                      <select
                        aria-label={`Role of ${m.name}`}
                        value={m.role}
                        disabled={changeRole.isPending}
                        onChange={(e) =>
                          changeRole.mutate({ workspace: ws.slug, userId: m.userId, role: e.target.value as Role })
                        }
                        className="rounded-md border-0 bg-white py-1 pr-7 pl-2 text-sm capitalize ring-1 ring-zinc-300 ring-inset focus:ring-2 focus:ring-brand-500"
                      >
                        {grantable.map((r) => (
                          <option key={r} value={r}>
                            {r}
                          </option>
                        ))}
                      </select>
                    ) : (
                      <RoleBadge role={m.role} />
                    )}
                  </Td>
                  <Td className="whitespace-nowrap text-zinc-500">{formatDateTime(m.joinedAt)}</Td>
                  {canManage ? (
                    <Td className="text-right">
                      <Button variant="ghost" size="sm" onClick={() => setRemoving({ userId: m.userId, name: m.name })}>
                        Remove
                      </Button>
                    </Td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </Table>
        </Card>
      )}

      <Card className="mt-6">
        <CardHeader title="What each role can do" />
        <dl className="grid gap-4 px-5 py-4 sm:grid-cols-2">
          {(Object.keys(ROLE_HELP) as Role[]).map((r) => (
            <div key={r} className="flex items-center gap-3">
              <dt>
                <RoleBadge role={r} />
              </dt>
              <dd className="text-sm text-zinc-600">{ROLE_HELP[r]}</dd>
            </div>
          ))}
        </dl>
      </Card>

      <AddMemberDialog open={adding} onClose={() => setAdding(false)} grantable={grantable} onAdded={invalidate} />

      <Dialog
        open={removing !== null}
        onClose={() => setRemoving(null)}
        title={`Remove ${removing?.name ?? "member"}?`}
        description="They lose access to this workspace at once. You can add them again later."
      >
        {remove.error ? <FormAlert>{remove.error.message}</FormAlert> : null}
        <div className="mt-4 flex justify-end gap-3">
          <Button variant="secondary" onClick={() => setRemoving(null)}>
            Cancel
          </Button>
          <Button
            variant="danger"
            loading={remove.isPending}
            onClick={() => removing && remove.mutate({ workspace: ws.slug, userId: removing.userId })}
          >
            Remove member
          </Button>
        </div>
      </Dialog>
    </div>
  );
}

function AddMemberDialog({
  open,
  onClose,
  grantable,
  onAdded,
}: {
  open: boolean;
  onClose: () => void;
  grantable: Role[];
  onAdded: () => void;
}) {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const add = useMutation(trpc.member.add.mutationOptions());
  const error = toFormError(add.error);
  const close = () => {
    add.reset();
    onClose();
  };

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    add.mutate(
      { workspace: ws.slug, email: String(form.get("email") ?? ""), role: String(form.get("role")) as Role },
      {
        onSuccess: () => {
          onAdded();
          close();
        },
      },
    );
  }

  return (
    <Dialog open={open} onClose={close} title="Add a member" description="They need a Sluice account first: ask them to sign up.">
      <form className="space-y-4" onSubmit={onSubmit} noValidate>
        {error && !Object.keys(error.fieldErrors).length ? <FormAlert>{error.message}</FormAlert> : null}
        <TextField label="Email" name="email" type="email" errors={error?.fieldErrors.email} autoFocus />
        <SelectField label="Role" name="role" defaultValue="viewer" errors={error?.fieldErrors.role}>
          {grantable.map((r) => (
            <option key={r} value={r}>
              {r[0]?.toUpperCase()}
              {r.slice(1)} — {ROLE_HELP[r]}
            </option>
          ))}
        </SelectField>
        <div className="flex justify-end gap-3 pt-2">
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" loading={add.isPending}>
            Add member
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
