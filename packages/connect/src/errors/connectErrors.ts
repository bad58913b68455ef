import type { AtomaErrorCode, ErrorInfo } from '@atoma/runtime'
import { Code, ConnectError } from '@connectrpc/connect'
import { ErrorInfoSchema } from '../gen/atoma/v1/atoma_pb.js'
import { errorInfoFromWire, errorInfoToWire } from '../wire/errorInfo.js'

/**
 * Errors across Connect. An Atoma server sends a failed call's `AtomaError` as an `ErrorInfo`
 * detail beside a Connect code chosen from `ATOMA_TO_CONNECT` (so generic Connect and gRPC tools
 * see a fitting code); the client takes the detail as it is. A call that failed without one — a
 * proxy, a network failure, another server, a limit of Connect itself — is read from its code by
 * `CONNECT_TO_ATOMA`, the table in the README.
 */

/** What a Connect code means to Atoma when no detail says more. */
export const CONNECT_TO_ATOMA: Readonly<Record<Code, { code: AtomaErrorCode; retryable: boolean }>> = {
  // The server or a proxy gave up on the call (the caller's own abort rejects with its reason).
  [Code.Canceled]: { code: 'ABORTED', retryable: false },
  // An error without a status, and what Connect makes of a failed fetch: no usable answer came.
  [Code.Unknown]: { code: 'TRANSPORT', retryable: true },
  [Code.InvalidArgument]: { code: 'VALIDATION', retryable: false },
  [Code.DeadlineExceeded]: { code: 'TIMEOUT', retryable: true },
  [Code.NotFound]: { code: 'NOT_FOUND', retryable: false },
  [Code.AlreadyExists]: { code: 'CONFLICT', retryable: false },
  [Code.PermissionDenied]: { code: 'FORBIDDEN', retryable: false },
  // gRPC's quota code; an Atoma server's detail says RESPONSE_TOO_LARGE when that is the cause.
  [Code.ResourceExhausted]: { code: 'RATE_LIMITED', retryable: true },
  // The state on the server is not what the write assumed: a conflict, as `aborted` is.
  [Code.FailedPrecondition]: { code: 'CONFLICT', retryable: false },
  [Code.Aborted]: { code: 'CONFLICT', retryable: false },
  [Code.OutOfRange]: { code: 'VALIDATION', retryable: false },
  // No such service or method at this URL: asking again will not make one (HTTP's 404).
  [Code.Unimplemented]: { code: 'TRANSPORT', retryable: false },
  [Code.Internal]: { code: 'TRANSPORT', retryable: true },
  [Code.Unavailable]: { code: 'TRANSPORT', retryable: true },
  // Unrecoverable: retrying cannot bring the data back.
  [Code.DataLoss]: { code: 'TRANSPORT', retryable: false },
  [Code.Unauthenticated]: { code: 'UNAUTHENTICATED', retryable: false },
}

/** The Connect code an Atoma server fails a call with, per `AtomaError` code. */
export const ATOMA_TO_CONNECT: Readonly<Record<AtomaErrorCode, Code>> = {
  NOT_FOUND: Code.NotFound,
  VALIDATION: Code.InvalidArgument,
  INVALID_ARGUMENT: Code.InvalidArgument,
  UNSAFE_PATCH: Code.InvalidArgument,
  CONFLICT: Code.Aborted,
  TRANSPORT: Code.Unavailable,
  TIMEOUT: Code.DeadlineExceeded,
  REJECTED: Code.FailedPrecondition,
  UNKNOWN_STORE: Code.NotFound,
  UNKNOWN_ACTION: Code.NotFound,
  NO_EXECUTION_NODE: Code.Unimplemented,
  DUPLICATE_STORE: Code.AlreadyExists,
  REENTRANT_TRANSACTION: Code.Internal,
  RECIPE_FAILED: Code.Internal,
  CIRCUIT_OPEN: Code.Unavailable,
  ABORTED: Code.Canceled,
  UNAUTHENTICATED: Code.Unauthenticated,
  FORBIDDEN: Code.PermissionDenied,
  RESPONSE_TOO_LARGE: Code.ResourceExhausted,
  RATE_LIMITED: Code.ResourceExhausted,
}

/** The error a failed call reports (client side): its Atoma detail, else what its code means. */
export function errorInfoOf(error: ConnectError): ErrorInfo {
  for (const detail of error.findDetails(ErrorInfoSchema)) {
    const decoded = errorInfoFromWire(detail)
    // A detail without a code (or one that does not decode) says nothing: the code below does.
    if ('info' in decoded && decoded.info.code) return decoded.info
  }
  const meaning = CONNECT_TO_ATOMA[error.code] ?? CONNECT_TO_ATOMA[Code.Unknown]
  return { ...meaning, message: error.message }
}

/** The Connect error a server fails a call with (server side): a fitting code and the whole error as a detail. */
export function connectErrorOf(info: ErrorInfo): ConnectError {
  const code = ATOMA_TO_CONNECT[info.code] ?? Code.Unknown
  // `unavailable` says "try again later": a failure that retrying cannot heal is the server's own.
  const fitting = code === Code.Unavailable && !info.retryable ? Code.Internal : code
  return new ConnectError(info.message, fitting, undefined, [
    { desc: ErrorInfoSchema, value: errorInfoToWire(info) },
  ])
}
