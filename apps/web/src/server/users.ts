import "server-only";
import { services } from "./services";

/** Whether anyone has signed up yet: the very first visit offers to create the first account and workspace. */
export async function hasAnyUser(): Promise<boolean> {
  return (await services().db.user.findFirst({ select: { id: true } })) !== null;
}
