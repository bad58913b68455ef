import { AtomaError, createRuntime, defineCollection, memoryBackend } from '@atoma/runtime'
import type { StandardSchemaV1 } from '@standard-schema/spec'
import { describe, expect, it } from 'vitest'

interface Task {
  id: string
  title: string
}

/** A Standard Schema written out by hand (what zod, valibot and arktype implement). */
function taskSchema(options: { async?: boolean } = {}): StandardSchemaV1<unknown, Task> {
  const validate = (value: unknown): StandardSchemaV1.Result<Task> => {
    const v = value as Partial<Task> | null
    if (typeof v?.id !== 'string') return { issues: [{ message: 'id must be a string', path: ['id'] }] }
    if (typeof v.title !== 'string' || v.title.trim() === '')
      return { issues: [{ message: 'title is required', path: ['title'] }] }
    // Normalizes, as schemas may: the committed value is the schema's output.
    return { value: { id: v.id, title: v.title.trim() } }
  }
  return {
    '~standard': {
      version: 1,
      vendor: 'test',
      validate: options.async ? async (value) => validate(value) : validate,
    },
  }
}

describe('Standard Schema validation', () => {
  const tasks = defineCollection<Task>('tasks', { key: 'id', schema: taskSchema() })

  it('validates every write: an invalid one is rejected with VALIDATION naming store, id and field, and commits nothing', async () => {
    const runtime = createRuntime({ stores: [tasks], plugins: [memoryBackend()] })
    const handle = runtime.store(tasks)
    const invalid = await handle.write.create({ id: 'a', title: '  ' })
    expect(invalid.error?.message).toMatch(
      /collection 'tasks': the written item is invalid: title: title is required/,
    )
    handle.write.create({ id: 'b', title: 'ok' })
    const update = await handle.write.update('b', (d) => {
      d.title = ''
    })
    expect(update).toMatchObject({ status: 'rejected', error: { code: 'VALIDATION', id: 'b' } })
    expect(handle.get('b')?.title).toBe('ok')
    expect(handle.getState().has('a')).toBe(false)
    expect(runtime.history(tasks).map((r) => r.origin.kind)).toEqual(['optimistic'])
  })

  it("commits the schema's output (normalized) rather than the input", () => {
    const runtime = createRuntime({ stores: [tasks], plugins: [memoryBackend()] })
    runtime.store(tasks).write.create({ id: 'n', title: '  padded  ' })
    expect(runtime.store(tasks).get('n')?.title).toBe('padded')
  })

  it('validates items a backend returns: an invalid one fails the read and lands nothing', async () => {
    const runtime = createRuntime({
      stores: [tasks],
      plugins: [
        memoryBackend({
          seed: {
            tasks: [
              { id: 'ok', title: 'fine' },
              { id: 'bad', title: 7 },
            ],
          },
        }),
      ],
    })
    const error = await runtime
      .store(tasks)
      .query({})
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AtomaError)
    expect(error).toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('returned by the backend'),
    })
    expect(runtime.store(tasks).getState().size).toBe(0)
  })

  it('refuses an asynchronous schema for optimistic writes, clearly', async () => {
    const slow = defineCollection<Task>('slow', { key: 'id', schema: taskSchema({ async: true }) })
    const runtime = createRuntime({ stores: [slow], plugins: [memoryBackend()] })
    const result = await runtime.store(slow).write.create({ id: 'a', title: 'x' })
    expect(result.error?.message).toMatch(/validates asynchronously/)
  })

  it('a schema that throws is a VALIDATION error naming the store, never a plain Error', async () => {
    const throwing = defineCollection<Task>('throwing', {
      key: 'id',
      schema: {
        '~standard': {
          version: 1,
          vendor: 'test',
          validate: () => {
            throw new Error('schema bug')
          },
        },
      },
    })
    const runtime = createRuntime({ stores: [throwing], plugins: [memoryBackend()] })
    const result = await runtime.store(throwing).write.create({ id: 'a', title: 'x' })
    expect(result.error).toBeInstanceOf(AtomaError)
    expect(result.error).toMatchObject({ code: 'VALIDATION', store: 'throwing' })
    expect(result.error?.message).toMatch(/its schema threw while validating the written item: schema bug/)
    expect(runtime.store(throwing).getState().size).toBe(0)
  })
})
