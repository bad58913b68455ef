import { Agent, request } from 'node:http'

export interface Sent {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
}

// One keep-alive agent for the whole file: node:http costs a fraction of fetch per request,
// which adds up over the fuzz test's thousand requests.
const agent = new Agent({ keepAlive: true })

/** One HTTP request with a raw body, answered with the status, headers and body text. */
export function send(
  url: string,
  {
    method = 'POST',
    headers = {},
    body,
  }: { method?: string; headers?: Record<string, string>; body?: string | Uint8Array },
): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString(),
        }),
      )
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}
