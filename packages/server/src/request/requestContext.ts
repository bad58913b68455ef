import type { Principal } from '../auth/principal.js'
import { type ReadAccess, readAccess } from '../authorize/readAccess.js'
import type { Collection } from '../collections.js'
import type { Queryable } from '../db/db.js'
import type { OpsContext } from '../ops/opsContext.js'
import { Budget } from './budget.js'
import { Deadline } from './deadline.js'

/**
 * Everything one request carries through its ops: who sent it, what it may still answer, when
 * it must be done, and the principal's read access per collection (rules run once per request,
 * however many ops name the collection). Built once authentication passed; every endpoint that
 * reads rows (the ops today, pull and pokes later) takes one.
 */
export interface RequestContext {
  readonly principal: Principal
  readonly budget: Budget
  readonly deadline: Deadline
  /** The database for statements outside a write: each runs with the time left as its timeout. */
  readonly db: Queryable
  access(collection: Collection): Promise<ReadAccess>
}

export function createRequestContext(server: OpsContext, principal: Principal): RequestContext {
  const { limits } = server
  const deadline = new Deadline(limits.requestTimeoutMs)
  const db: Queryable = {
    query: (sql, params) =>
      server.db.transaction((tx) => tx.query(sql, params), { timeoutMs: deadline.remainingMs() }),
  }
  const access = new Map<string, Promise<ReadAccess>>()
  return {
    principal,
    budget: new Budget(limits.maxResponseRows, limits.maxResponseBytes),
    deadline,
    db,
    access(collection) {
      let found = access.get(collection.name)
      if (found === undefined) {
        found = readAccess(collection, principal, db, server)
        access.set(collection.name, found)
      }
      return found
    },
  }
}
