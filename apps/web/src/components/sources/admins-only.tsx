// What an editor or viewer sees where only admins may act (the server refuses them as well).
import { ShieldAlert } from "lucide-react";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";

export function AdminsOnly({ role, what }: { role: string; what: string }) {
  return (
    <Card>
      <EmptyState icon={ShieldAlert} title="Admins only">
        Only admins and owners can {what}. Your role is {role}; ask an admin of this workspace.
      </EmptyState>
    </Card>
  );
}
