// The target table's columns as destination fields, for the mapper: name, our type for the column's type,
// required = NOT NULL without a default, identifier = the key columns. Generated columns are left out.
import type { DestinationField } from "../../kit/contract";
import { fieldsOf, keyFieldsOfNewTable } from "../../kit/table/types";
import { TableWriteError } from "../../kit/table/writer";
import type { PostgresTableConfig } from "./config";
import { readTableInfo, withSingleClient } from "./connect";
import { errorTarget, tableName } from "./deliver";
import { classifyPostgresError } from "./errors";

export async function listPostgresTableFields(
  config: PostgresTableConfig,
  _object: string,
  options: { allowPrivate: boolean },
): Promise<DestinationField[]> {
  try {
    return await withSingleClient(config, options.allowPrivate, async (client) => {
      const info = await readTableInfo(client, tableName(config));
      return info ? fieldsOf(info, config.keyColumns) : keyFieldsOfNewTable(config.keyColumns);
    });
  } catch (error) {
    if (error instanceof TableWriteError) throw new Error(error.message, { cause: error });
    throw new Error(classifyPostgresError(error, errorTarget(config)).message, { cause: error });
  }
}
