import "server-only";
import { auth } from "../auth";
import { services } from "../services";
import type { TRPCContext } from "./init";

export async function createTRPCContextForRequest(req: Request): Promise<TRPCContext> {
  const session = await auth().api.getSession({ headers: req.headers });
  const user = session ? { id: session.user.id, name: session.user.name, email: session.user.email } : null;
  return { services: services(), user };
}
