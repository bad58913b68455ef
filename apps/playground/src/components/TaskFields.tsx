import { PRIORITIES, type Priority, TEAM } from '../data/model.js'

interface FieldProps<V> {
  value: V
  onChange(value: V): void
}

export function AssigneeSelect({ value, onChange }: FieldProps<string>) {
  return (
    <select
      className="select"
      aria-label="Assignee"
      value={value}
      onChange={(event) => onChange(event.target.value)}
    >
      <option value="">Unassigned</option>
      {TEAM.map((name) => (
        <option key={name} value={name}>
          {name}
        </option>
      ))}
    </select>
  )
}

export function PrioritySelect({ value, onChange }: FieldProps<Priority>) {
  return (
    <select
      className="select"
      aria-label="Priority"
      value={value}
      onChange={(event) => onChange(Number(event.target.value) as Priority)}
    >
      {PRIORITIES.map((priority) => (
        <option key={priority.id} value={priority.id}>
          {priority.label}
        </option>
      ))}
    </select>
  )
}
