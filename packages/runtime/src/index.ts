export { AtomaError, type AtomaErrorCode, isAtomaError } from './errors.js'
export type { Patch, PatchPath } from './patch.js'
export type { FieldOps, Id, Query, Scalar, SortDirection, Where } from './query/types.js'
