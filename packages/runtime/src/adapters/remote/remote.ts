// @atoma/runtime/remote — what every remote adapter shares (httpBackend here, @atoma/connect
// beside it): the mapping from kernel requests to remote ops and the checks of their answers.
export {
  preview,
  type RemoteAnswer,
  type RemoteNodeOptions,
  type RemoteOpInput,
  type RemoteOpOutput,
  remoteNode,
} from './remoteNode.js'
