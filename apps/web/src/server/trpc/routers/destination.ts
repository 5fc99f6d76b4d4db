import { CreateDestinationInput, IdInput, TestConnectionInput, UpdateDestinationInput } from "@sluice/contracts/connections";
import {
  createDestination,
  deleteDestination,
  getDestination,
  listDestinations,
  testDestinationConnection,
  updateDestination,
} from "@sluice/core";
import { listDestinationTypes } from "@sluice/core/destinations/list-destination-types";
import type { TRPCRouterRecord } from "@trpc/server";
import { workspaceProcedure } from "../init";

// Roles are enforced in core (destination.write is admin and above); these procedures only route.
export const destinationRouter = {
  list: workspaceProcedure.query(({ ctx }) => listDestinations(ctx.workspace)),
  get: workspaceProcedure.input(IdInput).query(({ ctx, input }) => getDestination(ctx.workspace, { id: input.id })),
  /** The catalogue: every destination in the registry, what it writes, its docs and its settings form. */
  catalog: workspaceProcedure.query(({ ctx }) => listDestinationTypes(ctx.workspace)),
  create: workspaceProcedure
    .input(CreateDestinationInput)
    .mutation(({ ctx, input }) => createDestination(ctx.workspace, { name: input.name, type: input.type, config: input.config })),
  /** Secrets sent back as the mask (or left out) keep their stored value. */
  update: workspaceProcedure
    .input(UpdateDestinationInput)
    .mutation(({ ctx, input }) => updateDestination(ctx.workspace, { id: input.id, name: input.name, config: input.config })),
  delete: workspaceProcedure.input(IdInput).mutation(({ ctx, input }) => deleteDestination(ctx.workspace, { id: input.id })),
  /** A mutation, not a query: it makes the server send a request to the configured endpoint. */
  test: workspaceProcedure.input(TestConnectionInput).mutation(({ ctx, input }) => {
    const { workspace: _workspace, ...rest } = input;
    return testDestinationConnection(ctx.workspace, rest);
  }),
} satisfies TRPCRouterRecord;
