// API key inputs. The key itself is never an input: it is generated server-side and shown once.
import { z } from "zod";
import { ApiKeyRoleSchema } from "./roles";

/** Every key starts with this, so secret scanners (and people) can recognise a leaked Sluice key. */
export const API_KEY_PREFIX = "slk_";

export const CreateApiKeyInput = z.object({
  name: z.string().trim().min(1, "Give the key a name").max(80, "Use at most 80 characters"),
  role: ApiKeyRoleSchema,
});
export type CreateApiKeyInput = z.infer<typeof CreateApiKeyInput>;

export const RevokeApiKeyInput = z.object({ id: z.string().min(1) });
export type RevokeApiKeyInput = z.infer<typeof RevokeApiKeyInput>;
