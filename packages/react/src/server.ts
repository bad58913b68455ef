// @atoma/react/server — what runs on the server with React Server Components: prefetch into a
// runtime, dehydrate it for the client. No 'use client' (unlike the main entry), so a server
// component can call these; the client side is `<AtomaHydrate state={…}>` from `@atoma/react`.
export { clientFor as queryClientOf } from './queryClients.js'
export { type AtomaQueryKey, infiniteQueryKey, queryKey } from './queryKey.js'
export {
  type AtomaDehydratedState,
  dehydrate,
  hydrate,
  type PrefetchInfiniteOptions,
  type PrefetchOptions,
  prefetchInfiniteQuery,
  prefetchQuery,
} from './ssr.js'
