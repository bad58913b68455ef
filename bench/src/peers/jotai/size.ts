// What a minimal jotai app imports (docs "Introduction"): atoms and their hooks.
export { atom, useAtom, useAtomValue, useSetAtom } from 'jotai'
