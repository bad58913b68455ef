import { useEntity, useMutation, useQuery } from '@atoma/react'
import { AtomaError, memoryBackend, type WriteResult } from '@atoma/runtime'
import { act, renderHook, waitFor } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import {
  makeRuntime,
  scriptedBackend,
  seedLocal,
  sleep,
  strictWrapper,
  type Todo,
  todo,
  todos,
} from './helpers.js'

describe('useMutation', () => {
  it('commits optimistically inside mutate, visible in the same act, then confirms', async () => {
    const runtime = makeRuntime()
    const { result } = renderHook(
      () => ({
        list: useQuery(todos, { where: { done: false } }),
        entity: useEntity(todos, '1'),
        create: useMutation(todos, (write, item: Todo) => write.create(item)),
      }),
      { wrapper: strictWrapper(runtime) },
    )
    act(() => {
      result.current.create.mutate(todo('1', 'new'))
    })
    expect(result.current.entity?.title).toBe('new')
    expect(result.current.list.data.map((t) => t.id)).toEqual(['1'])
    expect(result.current.create.isPending).toBe(true)
    expect(result.current.create.status).toBe('pending')
    await waitFor(() => expect(result.current.create.status).toBe('success'))
    expect(result.current.create.data?.status).toBe('confirmed')
    expect(result.current.create.error).toBeNull()
    expect(runtime.store(todos).pendingCount()).toBe(0)
  })

  it('a write the backend rejects rolls back and sets error, with the callbacks in order', async () => {
    // The backend already has '1'; the local store does not, so the create is rejected remotely.
    const runtime = makeRuntime({ plugins: [memoryBackend({ seed: { todos: [todo('1', 'server')] } })] })
    const calls: string[] = []
    const { result } = renderHook(
      () => ({
        entity: useEntity(todos, '1'),
        create: useMutation(todos, (write, item: Todo) => write.create(item), {
          onMutate: (item) => {
            calls.push(`mutate ${item.id}`)
            return { started: item.id }
          },
          onSuccess: () => {
            calls.push('success')
          },
          onError: (error, item, context) => {
            calls.push(`error ${error.code} ${item.id} ${context?.started}`)
          },
          onSettled: (data, error) => {
            calls.push(`settled ${data === undefined} ${error?.code}`)
          },
        }),
      }),
      { wrapper: strictWrapper(runtime) },
    )
    act(() => {
      result.current.create.mutate(todo('1', 'mine'))
    })
    expect(result.current.entity?.title).toBe('mine')
    await waitFor(() => expect(result.current.create.status).toBe('error'))
    // The conflict carried the server's item: the store shows it instead of the rolled-back create.
    expect(result.current.entity?.title).toBe('server')
    expect(result.current.create.error).toBeInstanceOf(AtomaError)
    expect(result.current.create.error?.code).toBe('CONFLICT')
    expect(calls).toEqual(['mutate 1', 'error CONFLICT 1 1', 'settled true CONFLICT'])
  })

  it('two overlapping mutations where the first fails keep the second one’s value', async () => {
    const backend = scriptedBackend({
      reject: (entry) =>
        (entry.value as Todo | undefined)?.title === 'bad'
          ? { code: 'REJECTED', message: 'bad title', retryable: false }
          : undefined,
      delayMs: () => 5,
    })
    const runtime = makeRuntime({ plugins: [backend] })
    seedLocal(runtime, [todo('1', 'original')])
    const errors: string[] = []
    const { result } = renderHook(
      () => ({
        entity: useEntity(todos, '1'),
        rename: useMutation(todos, (write, title: string) => write.patch('1', { title }), {
          onError: (error, title) => {
            errors.push(`${title}: ${error.code}`)
          },
        }),
      }),
      { wrapper: strictWrapper(runtime) },
    )
    act(() => {
      result.current.rename.mutate('bad')
      result.current.rename.mutate('good')
    })
    expect(result.current.entity?.title).toBe('good')
    await waitFor(() => expect(runtime.store(todos).pendingCount()).toBe(0))
    await waitFor(() => expect(result.current.rename.status).toBe('success'))
    expect(result.current.entity?.title).toBe('good')
    expect(errors).toEqual(['bad: REJECTED'])
  })

  it('mutateAsync resolves with the write result, or rejects with the AtomaError', async () => {
    const backend = scriptedBackend({
      reject: (entry) =>
        entry.id === 'no' ? { code: 'VALIDATION', message: 'refused', retryable: false } : undefined,
    })
    const runtime = makeRuntime({ plugins: [backend] })
    const { result } = renderHook(() => useMutation(todos, (write, id: string) => write.create(todo(id))), {
      wrapper: strictWrapper(runtime),
    })
    let confirmed: WriteResult<Todo> | undefined
    await act(async () => {
      confirmed = await result.current.mutateAsync('yes')
    })
    expect(confirmed?.status).toBe('confirmed')
    // query-core notifies observers on its own next tick.
    await waitFor(() => expect(result.current.data).toBe(confirmed))
    let rejection: unknown
    await act(async () => {
      rejection = await result.current.mutateAsync('no').catch((error: unknown) => error)
    })
    expect(rejection).toBeInstanceOf(AtomaError)
    expect((rejection as AtomaError).code).toBe('VALIDATION')
    await waitFor(() => expect(result.current.error).toBe(rejection))
    act(() => {
      result.current.reset()
    })
    await waitFor(() => expect(result.current.status).toBe('idle'))
    expect(result.current.error).toBeNull()
  })

  it('a mutation function that throws becomes the error; mutate itself never throws', async () => {
    const runtime = makeRuntime()
    seedLocal(runtime, [todo('1')])
    const { result } = renderHook(
      () => ({
        // Creating an id that is already visible throws CONFLICT synchronously.
        create: useMutation(todos, (write, id: string) => write.create(todo(id))),
        broken: useMutation(todos, (): never => {
          throw new TypeError('oops')
        }),
      }),
      { wrapper: strictWrapper(runtime) },
    )
    act(() => {
      expect(() => result.current.create.mutate('1')).not.toThrow()
    })
    await waitFor(() => expect(result.current.create.status).toBe('error'))
    expect(result.current.create.error?.code).toBe('CONFLICT')
    let rejection: unknown
    await act(async () => {
      rejection = await result.current.broken.mutateAsync().catch((error: unknown) => error)
    })
    expect(rejection).toBeInstanceOf(AtomaError)
    expect((rejection as AtomaError).code).toBe('RECIPE_FAILED')
    expect((rejection as AtomaError).cause).toBeInstanceOf(TypeError)
  })

  it('each call settles its own write, even when slow onMutate calls finish out of order', async () => {
    const runtime = makeRuntime()
    const delays = [30, 0]
    const txnIds: number[] = []
    const { result } = renderHook(
      () =>
        useMutation(
          todos,
          (write, id: string) => {
            const handle = write.create(todo(id))
            txnIds.push(handle.txnId ?? -1)
            return handle
          },
          { onMutate: () => sleep(delays.shift()) },
        ),
      { wrapper: strictWrapper(runtime) },
    )
    let results: WriteResult<Todo>[] = []
    await act(async () => {
      results = await Promise.all([result.current.mutateAsync('a'), result.current.mutateAsync('b')])
    })
    expect(results.map((r) => r.txnId)).toEqual(txnIds)
    expect(results.map((r) => r.items[0]?.id)).toEqual(['a', 'b'])
  })

  it('calls the latest callbacks and function after a re-render', async () => {
    const runtime = makeRuntime()
    const onSuccess = vi.fn()
    const { result, rerender } = renderHook(
      ({ prefix }) =>
        useMutation(todos, (write, id: string) => write.create(todo(`${prefix}${id}`)), {
          onSuccess: (written) => onSuccess(prefix, written.items[0]?.id),
        }),
      { wrapper: strictWrapper(runtime), initialProps: { prefix: 'a' } },
    )
    rerender({ prefix: 'b' })
    await act(() => result.current.mutateAsync('1'))
    expect(onSuccess).toHaveBeenCalledWith('b', 'b1')
  })

  it('reports variables, submittedAt and the status flags of the latest call', async () => {
    const runtime = makeRuntime()
    const { result } = renderHook(() => useMutation(todos, (write, item: Todo) => write.create(item)), {
      wrapper: strictWrapper(runtime),
    })
    expect(result.current).toMatchObject({ isIdle: true, variables: undefined, submittedAt: 0 })
    const before = Date.now()
    act(() => {
      result.current.mutate(todo('1', 'new'))
    })
    await waitFor(() => expect(result.current.isSuccess).toBe(true))
    expect(result.current.variables).toEqual(todo('1', 'new'))
    expect(result.current.submittedAt).toBeGreaterThanOrEqual(before)
    expect(result.current).toMatchObject({ isIdle: false, isPending: false, isError: false })
  })

  it('calls per-call callbacks after the hook’s own, for the latest call only', async () => {
    const backend = scriptedBackend({
      reject: (entry) =>
        entry.id === 'bad' ? { code: 'REJECTED', message: 'no', retryable: false } : undefined,
    })
    const runtime = makeRuntime({ plugins: [backend] })
    const calls: string[] = []
    const { result } = renderHook(
      () =>
        useMutation(todos, (write, id: string) => write.create(todo(id)), {
          onSuccess: (_r, id) => {
            calls.push(`hook success ${id}`)
          },
          onError: (error, id) => {
            calls.push(`hook error ${id} ${error.code}`)
          },
        }),
      { wrapper: strictWrapper(runtime) },
    )
    await act(async () => {
      await result.current
        .mutateAsync('ok', {
          onSuccess: (written, id) => {
            calls.push(`call success ${id} ${written.status}`)
          },
          onSettled: (_r, error) => {
            calls.push(`call settled ${error}`)
          },
        })
        .catch(() => {})
    })
    act(() => {
      result.current.mutate('bad', {
        onError: (error, id) => {
          calls.push(`call error ${id} ${error.code}`)
        },
      })
    })
    await waitFor(() => expect(result.current.isError).toBe(true))
    expect(calls).toEqual([
      'hook success ok',
      'call success ok confirmed',
      'call settled null',
      'hook error bad REJECTED',
      'call error bad REJECTED',
    ])
  })
})
