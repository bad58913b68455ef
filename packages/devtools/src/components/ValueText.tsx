import type { JsonValue } from '@atoma/runtime'
import { formatValue, kindOf } from '../model/formatValue.js'

/** A serialized value on one line, coloured by kind. Always a text node. */
export function ValueText({ value, max }: { value: JsonValue; max?: number }) {
  return <span className={`atoma-v atoma-v-${kindOf(value)}`}>{formatValue(value, max)}</span>
}
