// What every command that touches the control plane needs: the database (DATABASE_URL, else the embedded
// one of `npm start`), the encryption key, and the workspace (created if missing) in which the CLI acts as
// a system actor with owner rights — whoever runs it already holds the database credentials.
import { resolveSystemWorkspace } from "@sluice/core/config/resolve-system-workspace";
import { createServices, systemContext, type WorkspaceContext } from "@sluice/core/context";
import { type RuntimeConfig, resolveRuntimeConfig } from "@sluice/db/runtime-config";

export const CLI_ACTOR = "sluice CLI";
export const DEFAULT_WORKSPACE = "default";

export interface GlobalOptions {
  workspace?: string;
}

export interface Session {
  ctx: WorkspaceContext;
  config: RuntimeConfig;
  close(): Promise<void>;
}

/** Progress lines go to stderr so that `--json` output on stdout stays parseable. */
export function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

export async function openRuntime(): Promise<RuntimeConfig> {
  return resolveRuntimeConfig(process.env, (line) => say(`· ${line}`));
}

export function workspaceSlug(options: GlobalOptions): string {
  return options.workspace ?? process.env.SLUICE_WORKSPACE ?? DEFAULT_WORKSPACE;
}

/**
 * Runs `work` with a session. With `create: false` a missing workspace is not created: `work` gets a context
 * for an empty placeholder (workspaceId ""), and `session.createWorkspace()` makes the real one when needed.
 */
export async function withSession<T>(
  options: GlobalOptions,
  work: (session: Session & { createWorkspace(): Promise<WorkspaceContext> }) => Promise<T>,
  o: { create?: boolean } = {},
): Promise<T> {
  const config = await openRuntime();
  const services = createServices({
    databaseUrl: config.databaseUrl,
    encryptionKey: config.encryptionKey,
    previousKeys: config.previousKeys,
    logName: "cli",
    allowPrivateDestinations: config.childEnv.SLUICE_ALLOW_PRIVATE_DESTINATIONS === "true",
  });
  // pino logs to stdout; the CLI's stdout is for results.
  services.log.level = process.env.LOG_LEVEL ?? "silent";
  const close = async () => {
    await services.db.$disconnect().catch(() => undefined);
    await config.stop();
  };
  try {
    const slug = workspaceSlug(options);
    const createWorkspace = async () => {
      const ctx = await resolveSystemWorkspace(services, { slug, actorName: CLI_ACTOR });
      if (ctx.created) say(`· created workspace "${slug}"`);
      return ctx;
    };
    const existing = await services.db.workspace.findUnique({ where: { slug }, select: { id: true } });
    const ctx =
      existing || o.create !== false
        ? await createWorkspace()
        : systemContext(services, { workspaceId: "", workspaceSlug: slug, name: CLI_ACTOR });
    return await work({ ctx, config, close, createWorkspace });
  } finally {
    await close();
  }
}
