// @atoma/runtime/http — building blocks for plugins that speak to an Atoma server over HTTP
// (the sync orchestrator): the same status mapping and error shapes as httpBackend.
export { excerpt, mapHttpStatus, networkError } from './mapHttpError.js'
