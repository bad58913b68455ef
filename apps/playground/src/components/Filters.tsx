import { shallow, useActions, useStore } from '@atoma/react'
import { type Priority, TEAM } from '../data/model.js'
import { board, type SortKey, selectFilter } from '../data/stores.js'

const ANYONE = '*'

/** Filters and sorting: board state that every column turns into its query. */
export function Filters() {
  const filter = useStore(board, selectFilter, shallow)
  const actions = useActions(board)
  return (
    <div className="filters">
      <input
        className="input"
        type="search"
        aria-label="Search titles"
        placeholder="Search titles…"
        value={filter.search}
        onChange={(event) => actions.search(event.target.value)}
      />
      <select
        className="select"
        aria-label="Filter by assignee"
        value={filter.assignee ?? ANYONE}
        onChange={(event) =>
          actions.filterAssignee(event.target.value === ANYONE ? null : event.target.value)
        }
      >
        <option value={ANYONE}>Anyone</option>
        <option value="">Unassigned</option>
        {TEAM.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
      <select
        className="select"
        aria-label="Filter by priority"
        value={filter.minPriority}
        onChange={(event) => actions.filterPriority(Number(event.target.value) as Priority)}
      >
        <option value={1}>Any priority</option>
        <option value={2}>Medium and up</option>
        <option value={3}>High only</option>
      </select>
      <select
        className="select"
        aria-label="Sort by"
        value={filter.sort}
        onChange={(event) => actions.sortBy(event.target.value as SortKey)}
      >
        <option value="priority">Highest priority first</option>
        <option value="newest">Newest first</option>
        <option value="title">Title A–Z</option>
      </select>
    </div>
  )
}
