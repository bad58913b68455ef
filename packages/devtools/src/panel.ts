'use client'

// @atoma/devtools/panel: the real panel under every condition, for apps that ship devtools in
// production on purpose, plus the recording helpers.
export * from './index.js'
export { exportRecording } from './recording/exportRecording.js'
export { MAX_RECORDING_CHARS, type ParsedRecording, parseRecording } from './recording/parseRecording.js'
export {
  RECORDING_FORMAT,
  RECORDING_VERSION,
  type RecordedChange,
  type RecordedEvent,
  type RecordedId,
  type RecordedInstance,
  type RecordedOrigin,
  type RecordedPatch,
  type RecordedTxn,
  type RecordedUpdate,
} from './recording/types.js'
