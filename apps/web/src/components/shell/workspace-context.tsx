"use client";
import { can, type Permission, type Role } from "@sluice/contracts/roles";
import { createContext, type ReactNode, useContext } from "react";

export interface CurrentWorkspace {
  id: string;
  slug: string;
  name: string;
  role: Role;
}

const WorkspaceContext = createContext<CurrentWorkspace | null>(null);

export function WorkspaceProvider({ workspace, children }: { workspace: CurrentWorkspace; children: ReactNode }) {
  return <WorkspaceContext.Provider value={workspace}>{children}</WorkspaceContext.Provider>;
}

export function useWorkspace(): CurrentWorkspace & { can: (permission: Permission) => boolean } {
  const workspace = useContext(WorkspaceContext);
  if (!workspace) throw new Error("useWorkspace outside a workspace page");
  return { ...workspace, can: (permission) => can(workspace.role, permission) };
}
