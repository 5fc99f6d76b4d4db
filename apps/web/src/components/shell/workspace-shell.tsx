"use client";
import {
  ArrowLeftRight,
  Check,
  ChevronsUpDown,
  Database,
  Inbox,
  KeyRound,
  LayoutDashboard,
  LogOut,
  type LucideIcon,
  Plus,
  ScrollText,
  Send,
  Table2,
  Users,
} from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { type ReactNode, useCallback, useRef, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Logo } from "@/components/ui/logo";
import { authClient } from "@/lib/auth-client";
import { cn } from "@/lib/cn";
import { useDismiss } from "./use-dismiss";
import { type CurrentWorkspace, useWorkspace, WorkspaceProvider } from "./workspace-context";

interface NavItem {
  href: string;
  label: string;
  icon: LucideIcon;
  adminOnly?: boolean;
}

const MAIN_NAV: NavItem[] = [
  { href: "", label: "Overview", icon: LayoutDashboard },
  { href: "/sources", label: "Sources", icon: Database },
  { href: "/destinations", label: "Destinations", icon: Send },
  { href: "/models", label: "Models", icon: Table2 },
  { href: "/syncs", label: "Syncs", icon: ArrowLeftRight },
  { href: "/demo-inbox", label: "Demo inbox", icon: Inbox },
];

const SETTINGS_NAV: NavItem[] = [
  { href: "/settings/members", label: "Members", icon: Users },
  { href: "/settings/api-keys", label: "API keys", icon: KeyRound, adminOnly: true },
  { href: "/settings/audit-log", label: "Audit log", icon: ScrollText, adminOnly: true },
];

export interface ShellProps {
  workspace: CurrentWorkspace;
  workspaces: { slug: string; name: string; role: string }[];
  user: { name: string; email: string };
  children: ReactNode;
}

export function WorkspaceShell({ workspace, workspaces, user, children }: ShellProps) {
  return (
    <WorkspaceProvider workspace={workspace}>
      <div className="flex min-h-screen">
        <Sidebar workspaces={workspaces} user={user} />
        <main className="min-w-0 flex-1">
          <div className="mx-auto max-w-6xl px-6 py-8 lg:px-10">{children}</div>
        </main>
      </div>
    </WorkspaceProvider>
  );
}

function Sidebar({ workspaces, user }: Pick<ShellProps, "workspaces" | "user">) {
  const ws = useWorkspace();
  const pathname = usePathname();
  const base = `/w/${ws.slug}`;
  const isAdmin = ws.can("member.manage");

  const link = (item: NavItem) => {
    const href = `${base}${item.href}`;
    const active = item.href === "" ? pathname === base : pathname.startsWith(href);
    return (
      <li key={item.href}>
        <Link
          href={href}
          aria-current={active ? "page" : undefined}
          className={cn(
            "group flex items-center gap-2.5 rounded-lg px-2.5 py-1.5 text-sm font-medium transition-colors",
            active
              ? "bg-white text-zinc-900 shadow-xs ring-1 ring-zinc-200"
              : "text-zinc-600 hover:bg-zinc-200/60 hover:text-zinc-900",
          )}
        >
          <item.icon
            className={cn("size-4", active ? "text-brand-600" : "text-zinc-400 group-hover:text-zinc-500")}
            aria-hidden
          />
          {item.label}
        </Link>
      </li>
    );
  };

  return (
    <aside className="sticky top-0 flex h-screen w-64 shrink-0 flex-col border-r border-zinc-200 bg-zinc-100/70">
      <div className="px-3 pt-4">
        <WorkspaceSwitcher workspaces={workspaces} />
      </div>
      <nav className="mt-4 flex-1 overflow-y-auto px-3" aria-label="Workspace">
        <ul className="space-y-0.5">{MAIN_NAV.map(link)}</ul>
        <p className="mt-6 mb-1.5 px-2.5 text-xs font-medium tracking-wide text-zinc-400 uppercase">Settings</p>
        <ul className="space-y-0.5">{SETTINGS_NAV.filter((i) => !i.adminOnly || isAdmin).map(link)}</ul>
      </nav>
      <div className="border-t border-zinc-200 p-3">
        <UserMenu user={user} />
      </div>
    </aside>
  );
}

function WorkspaceSwitcher({ workspaces }: { workspaces: ShellProps["workspaces"] }) {
  const ws = useWorkspace();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(ref, open, close);
  return (
    <div className="relative" ref={ref}>
      <button
        type="button"
        onClick={() => setOpen((o) => !o)}
        aria-haspopup="menu"
        aria-expanded={open}
        className="flex w-full items-center gap-2.5 rounded-lg px-2 py-1.5 text-left hover:bg-zinc-200/60"
      >
        <Logo className="size-8 shrink-0" />
        <span className="min-w-0 flex-1">
          <span className="block truncate text-sm font-semibold text-zinc-900" data-testid="workspace-name">
            {ws.name}
          </span>
          <span className="block truncate text-xs text-zinc-500 capitalize">{ws.role}</span>
        </span>
        <ChevronsUpDown className="size-4 text-zinc-400" aria-hidden />
      </button>
      {open ? (
        <div role="menu" className="absolute inset-x-0 z-20 mt-1 rounded-xl bg-white p-1 shadow-lg ring-1 ring-zinc-200">
          <p className="px-2.5 pt-1.5 pb-1 text-xs font-medium text-zinc-400">Workspaces</p>
          {workspaces.map((w) => (
            <Link
              key={w.slug}
              role="menuitem"
              href={`/w/${w.slug}`}
              onClick={close}
              className="flex items-center justify-between gap-2 rounded-lg px-2.5 py-1.5 text-sm text-zinc-700 hover:bg-zinc-100"
            >
              <span className="truncate">{w.name}</span>
              {w.slug === ws.slug ? <Check className="size-4 text-brand-600" aria-hidden /> : null}
            </Link>
          ))}
          <div className="my-1 border-t border-zinc-100" />
          <Link
            role="menuitem"
            href="/onboarding"
            onClick={close}
            className="flex items-center gap-2 rounded-lg px-2.5 py-1.5 text-sm text-zinc-700 hover:bg-zinc-100"
          >
            <Plus className="size-4 text-zinc-400" aria-hidden />
            New workspace
          </Link>
        </div>
      ) : null}
    </div>
  );
}

function UserMenu({ user }: { user: ShellProps["user"] }) {
  const [open, setOpen] = useState(false);
  const [signingOut, setSigningOut] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(ref, open, close);
  const initials =
    user.name
      .split(/\s+/)
      .map((p) => p[0])
      .join("")
      .slice(0, 2)
      .toUpperCase() || "?";

  async function signOut() {
    setSigningOut(true);
    await authClient.signOut();
    // A full page load, so nothing of this session (query cache, router cache) survives sign-out.
    window.location.assign("/sign-in");
  }

  return (
    <div className="relative" ref={ref}>
      {open ? (
        <div
          role="menu"
          className="absolute inset-x-0 bottom-full z-20 mb-1 rounded-xl bg-white p-1 shadow-lg ring-1 ring-zinc-200"
        >
          <button
            type="button"
            role="menuitem"
            onClick={signOut}
            disabled={signingOut}
            className="flex w-full items-center gap-2 rounded-lg px-2.5 py-1.5 text-sm text-zinc-700 hover:bg-zinc-100"
          >
            <LogOut className="size-4 text-zinc-400" aria-hidden />
            {signingOut ? "Signing out…" : "Sign out"}
          </button>
        </div>
      ) : null}
      <button
        type="button"
        onClick={() => setOpen((o) => !o)}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label="Account menu"
        className="flex w-full items-center gap-2.5 rounded-lg px-2 py-1.5 text-left hover:bg-zinc-200/60"
      >
        <span className="flex size-8 shrink-0 items-center justify-center rounded-full bg-zinc-800 text-xs font-semibold text-white">
          {initials}
        </span>
        <span className="min-w-0 flex-1">
          <span className="block truncate text-sm font-medium text-zinc-900">{user.name}</span>
          <span className="block truncate text-xs text-zinc-500">{user.email}</span>
        </span>
      </button>
    </div>
  );
}

export function RoleBadge({ role }: { role: string }) {
  const tone = role === "owner" ? "brand" : role === "admin" ? "green" : role === "editor" ? "amber" : "neutral";
  return (
    <Badge tone={tone} className="capitalize">
      {role}
    </Badge>
  );
}
