import { useRef } from 'react'
import { MAX_RECORDING_CHARS, parseRecording } from '../recording/parseRecording.js'
import type { DevtoolsRecording } from '../recording/types.js'

export interface RecordingActionsProps {
  /** What "Export" saves: the live hub now, or the recording on screen. */
  current(): DevtoolsRecording
  onImport(recording: DevtoolsRecording, name: string): void
  onError(message: string): void
}

/** Saves the recording as a JSON download, and reads one back from a file the user picks. */
export function RecordingActions({ current, onImport, onError }: RecordingActionsProps) {
  const input = useRef<HTMLInputElement>(null)

  const save = () => {
    const blob = new Blob([JSON.stringify(current())], { type: 'application/json' })
    const url = URL.createObjectURL(blob)
    const link = document.createElement('a')
    link.href = url
    link.download = `atoma-recording-${new Date().toISOString().replace(/[:.]/g, '-')}.json`
    link.click()
    // The download has started by the next task; the URL is not needed after that.
    setTimeout(() => URL.revokeObjectURL(url), 0)
  }

  const load = async (file: File) => {
    // A UTF-16 code unit takes at most 3 UTF-8 bytes: a file this big would be refused after reading too.
    if (file.size > MAX_RECORDING_CHARS * 3) {
      onError(`${file.name}: the file is too large to be a recording.`)
      return
    }
    let text: string
    try {
      text = await file.text()
    } catch (error) {
      onError(
        `${file.name}: the file could not be read (${error instanceof Error ? error.message : String(error)}).`,
      )
      return
    }
    const parsed = parseRecording(text)
    if (parsed.ok) onImport(parsed.recording, file.name)
    else onError(`${file.name}: ${parsed.error}`)
  }

  return (
    <>
      <button
        type="button"
        className="atoma-button"
        aria-label="Export"
        title="Export a recording"
        onClick={save}
      >
        Export
      </button>
      <button
        type="button"
        className="atoma-button"
        title="Import a recording"
        onClick={() => input.current?.click()}
      >
        Import
      </button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        className="atoma-hidden"
        aria-label="Import a recording"
        tabIndex={-1}
        onChange={(event) => {
          const file = event.currentTarget.files?.[0]
          event.currentTarget.value = ''
          if (file) void load(file)
        }}
      />
    </>
  )
}
