import type { QueryClient } from '@tanstack/query-core'
import { createContext, useContext } from 'react'
import type { Board, Mode } from '../data/runtimes.js'

/** Which board this tree shows, for whom, and its query cache (the one RuntimeProvider was given). */
export interface BoardContextValue {
  mode: Mode
  /** The signed-in user on the team board; `null` on the offline board, which has no users. */
  user: string | null
  queryClient: QueryClient
  transport: Board['transport']
}

export const BoardContext = createContext<BoardContextValue | null>(null)

export function useBoard(): BoardContextValue {
  const value = useContext(BoardContext)
  if (!value) throw new Error('useBoard: no BoardContext above this component')
  return value
}

export const useAtomaQueryClient = (): QueryClient => useBoard().queryClient
