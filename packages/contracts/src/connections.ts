// Inputs for sources (warehouses) and destinations. `config` is checked here only for shape: each
// connector's own zod schema validates its contents on the server, so fields stay connector-specific.
import { z } from "zod";

/** What a secret config value is replaced by wherever it leaves the server. Sent back unchanged, it means "keep". */
export const SECRET_MASK = "••••••••";

const Name = z.string().trim().min(1, "Give it a name").max(80, "Use at most 80 characters");
const Slug = z.string().trim().min(1, "Choose a type").max(40);
const Config = z.record(z.string(), z.unknown());
const Id = z.string().min(1);

export const CreateSourceInput = z.object({ name: Name, type: Slug, config: Config });
export type CreateSourceInput = z.infer<typeof CreateSourceInput>;

export const UpdateSourceInput = z.object({ id: Id, name: Name.optional(), config: Config.optional() });
export type UpdateSourceInput = z.infer<typeof UpdateSourceInput>;

export const CreateDestinationInput = CreateSourceInput;
export type CreateDestinationInput = CreateSourceInput;

export const UpdateDestinationInput = UpdateSourceInput;
export type UpdateDestinationInput = UpdateSourceInput;

/**
 * Test a connection before saving it (`type` + `config`), or a saved one (`id`), optionally with edited
 * config whose masked secrets fall back to the stored values.
 */
export const TestConnectionInput = z.union([
  z.object({ type: Slug, config: Config }),
  z.object({ id: Id, config: Config.optional() }),
]);
export type TestConnectionInput = z.infer<typeof TestConnectionInput>;

export const ConnectionCheckStep = z.object({ name: z.string(), ok: z.boolean(), message: z.string() });
export type ConnectionCheckStep = z.infer<typeof ConnectionCheckStep>;

export const ConnectionCheck = z.object({ ok: z.boolean(), steps: z.array(ConnectionCheckStep) });
export type ConnectionCheck = z.infer<typeof ConnectionCheck>;

export const IdInput = z.object({ id: Id });
export type IdInput = z.infer<typeof IdInput>;
