import type { AtomaErrorCode, ErrorInfo } from '@atoma/runtime'
import { create } from '@bufbuild/protobuf'
import { ErrorInfoSchema, type ErrorInfo as WireErrorInfo } from '../gen/atoma/v1/atoma_pb.js'
import { fromJsonText, toJsonText } from './jsonText.js'
import { wireNumber } from './scalars.js'

/** An error as it travels: a rejected entry's, or the detail of a failed call. */
export function errorInfoToWire(info: ErrorInfo): WireErrorInfo {
  return create(ErrorInfoSchema, {
    code: info.code,
    message: info.message,
    retryable: info.retryable,
    ...(info.current === undefined ? {} : { current: toJsonText(info.current, 'the current item') }),
    ...(Number.isSafeInteger(info.currentVersion) && info.currentVersion! >= 0
      ? { currentVersion: BigInt(info.currentVersion!) }
      : {}),
    ...(info.retryAfterMs === undefined ? {} : { retryAfterMs: wireNumber(info.retryAfterMs) }),
  })
}

/**
 * The error a message describes, or why it describes none: a current item that is not JSON, or a
 * version that is not an integer JS can hold, makes the whole answer malformed.
 */
export function errorInfoFromWire(wire: WireErrorInfo): { info: ErrorInfo } | { problem: string } {
  const info: ErrorInfo = {
    code: wire.code as AtomaErrorCode,
    message: wire.message,
    retryable: wire.retryable,
  }
  if (wire.current !== undefined) {
    const current = fromJsonText(wire.current)
    if ('problem' in current) return { problem: `an error whose current item is refused: ${current.problem}` }
    info.current = current.value
  }
  if (wire.currentVersion !== undefined) {
    const version = Number(wire.currentVersion)
    if (!Number.isSafeInteger(version))
      return { problem: `an error whose current version is ${wire.currentVersion}` }
    info.currentVersion = version
  }
  // A wait that is no duration is left out: the kernel's own backoff applies.
  if (wire.retryAfterMs !== undefined && Number.isFinite(wire.retryAfterMs) && wire.retryAfterMs >= 0)
    info.retryAfterMs = wire.retryAfterMs
  return { info }
}
