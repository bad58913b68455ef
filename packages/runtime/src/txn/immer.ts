import { enableMapSet, enablePatches, Immer } from 'immer'

// Patches and Map/Set drafting are plugins in immer; the runtime needs both (patches for
// history and devtools, Map/Set because app state uses them). A private instance keeps the
// runtime's settings from leaking into the app's own use of immer.
enablePatches()
enableMapSet()

export const immer = new Immer({ autoFreeze: true })
