// The target table's columns as destination fields, for the mapper: name, our type for the column's type,
// required = NOT NULL without a default, identifier = the key columns. Generated columns are left out.
import type { DestinationField } from "../../kit/contract";
import { fieldsOf, keyFieldsOfNewTable } from "../../kit/table/types";
import { TableWriteError } from "../../kit/table/writer";
import type { MysqlTableConfig } from "./config";
import { readTableInfo, withSingleConnection } from "./connect";
import { tableName } from "./deliver";
import { classifyMysqlError } from "./errors";

export async function listMysqlTableFields(
  config: MysqlTableConfig,
  _object: string,
  options: { allowPrivate: boolean },
): Promise<DestinationField[]> {
  try {
    return await withSingleConnection(config, options.allowPrivate, async (connection) => {
      const info = await readTableInfo(connection, tableName(config));
      return info ? fieldsOf(info, config.keyColumns) : keyFieldsOfNewTable(config.keyColumns);
    });
  } catch (error) {
    if (error instanceof TableWriteError) throw new Error(error.message, { cause: error });
    throw new Error(classifyMysqlError(error, config).message, { cause: error });
  }
}
