// @atoma/connect/protocol — the Atoma service for servers (and other clients): the generated
// service and messages, the codec between them and the ops of @atoma/runtime/protocol, and the
// error mapping both ways.
export { ATOMA_TO_CONNECT, CONNECT_TO_ATOMA, connectErrorOf, errorInfoOf } from './errors/connectErrors.js'
export * from './gen/atoma/v1/atoma_pb.js'
export type { ParseJson } from './wire/jsonText.js'
export { queryOp, queryRequest, type ReadOptions, writeOp, writeRequest } from './wire/requests.js'
export { type Malformed, queryOutput, queryResponse, writeOutput, writeResponse } from './wire/responses.js'
