import { CheckMappingsInput, MapperObjectInput, PreviewMappingInput, SuggestMappingsInput } from "@sluice/contracts/mapper";
import type { TestSendInput } from "@sluice/contracts/test-send";
import {
  checkObjectMappings,
  describeDestinationObject,
  previewObjectMapping,
  suggestObjectMappings,
} from "@sluice/core/destinations/describe-destination-object";
import { testSendRow } from "@sluice/core/destinations/test-send-row";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { workspaceProcedure } from "../init";

// The visual mapper. suggestMappings/checkMappings/previewPayloads are also importable in the browser from
// @sluice/contracts/mapper, so the screen can re-check on every edit without a round trip; these procedures
// give the same answers with the model's columns and the account's fields looked up on the server.
// Viewers may read; describing a model's columns or sampling its rows runs SQL, which needs an editor.

/**
 * A saved sync's id or a draft's settings: testSendRow parses it itself (with field errors naming the field at
 * fault), so here it is only an object; `workspace` is taken off before it gets there.
 */
const TestSendRouterInput = z.custom<TestSendInput>(
  (value) => typeof value === "object" && value !== null && !Array.isArray(value),
  {
    message: "expected { syncId } or the draft sync's modelId, destinationId, mode and mappings",
  },
);
export const mapperRouter = {
  /** The object's fields (contract + the account's own; a warning when the account cannot be asked) and modes. */
  object: workspaceProcedure
    .input(MapperObjectInput)
    .query(({ ctx, input }) =>
      describeDestinationObject(ctx.workspace, { destinationId: input.destinationId, object: input.object }),
    ),
  suggest: workspaceProcedure.input(SuggestMappingsInput).mutation(({ ctx, input }) => {
    const { workspace: _workspace, ...rest } = input;
    return suggestObjectMappings(ctx.workspace, rest);
  }),
  check: workspaceProcedure.input(CheckMappingsInput).mutation(({ ctx, input }) => {
    const { workspace: _workspace, ...rest } = input;
    return checkObjectMappings(ctx.workspace, rest);
  }),
  /** The model's first rows (5 by default) and the payload the mapping makes of each, or why it would be rejected. */
  preview: workspaceProcedure.input(PreviewMappingInput).mutation(({ ctx, input }) => {
    const { workspace: _workspace, ...rest } = input;
    return previewObjectMapping(ctx.workspace, rest);
  }),
  /**
   * Sends one model row through the destination as a run would (editor and above: it delivers a record) and
   * returns the row, the record, the outcome and the exact exchanges, secrets masked. Touches no sync state.
   */
  testSend: workspaceProcedure.input(TestSendRouterInput).mutation(({ ctx, input }) => {
    const { workspace: _workspace, ...rest } = input as TestSendInput & { workspace?: string };
    return testSendRow(ctx.workspace, rest as TestSendInput);
  }),
} satisfies TRPCRouterRecord;
