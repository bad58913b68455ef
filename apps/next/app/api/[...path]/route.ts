import { apiUrl } from '../../../lib/api'

// The browser's runtime talks to `/api` on the app's own origin; this route forwards to
// `@atoma/server` on loopback, as a reverse proxy would in production.
async function forward(request: Request, { params }: { params: Promise<{ path: string[] }> }) {
  const { path } = await params
  const target = new URL(`${await apiUrl()}/${path.map(encodeURIComponent).join('/')}`)
  const headers = new Headers()
  for (const name of ['content-type', 'authorization', 'accept']) {
    const value = request.headers.get(name)
    if (value !== null) headers.set(name, value)
  }
  const answer = await fetch(target, {
    method: request.method,
    headers,
    ...(request.method === 'GET' || request.method === 'HEAD' ? {} : { body: await request.arrayBuffer() }),
  })
  return new Response(answer.body, {
    status: answer.status,
    headers: { 'content-type': answer.headers.get('content-type') ?? 'application/json' },
  })
}

export const GET = forward
export const POST = forward
export const dynamic = 'force-dynamic'
