/** DuckDB sink: batched appends to an embedded columnar database, queryable while it runs. */
export {
  type DuckDbColumn,
  type DuckDbColumnSpec,
  type DuckDbColumnType,
  type DuckDbRow,
  inferColumns,
} from './columns.js';
export { DuckDbSinkError } from './errors.js';
export type { DuckDbWriteMethod } from './row-writers.js';
export { DuckDbSink, type DuckDbSinkOptions, defaultRow, duckDbSink } from './sink.js';
