import { describe, expect, it } from 'vitest'
import { crc32c } from '../../src/frame/crc32c.js'

// Check values from RFC 3720 (iSCSI) appendix B.4 and the classic "123456789".
describe('crc32c', () => {
  const bytes = (values: number[]) => new Uint8Array(values)
  it('matches the published check values', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283)
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa)
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43)
    expect(crc32c(bytes(Array.from({ length: 32 }, (_, i) => i)))).toBe(0x46dd794e)
    expect(crc32c(bytes(Array.from({ length: 32 }, (_, i) => 31 - i)))).toBe(0x113fdb5c)
  })

  it('covers exactly the range asked for, at any alignment', () => {
    const text = new TextEncoder().encode('xx123456789yyy')
    expect(crc32c(text, 2, 11)).toBe(0xe3069283)
    for (let n = 0; n < 20; n++) {
      const data = bytes(Array.from({ length: n }, (_, i) => (i * 37) & 0xff))
      const padded = new Uint8Array(n + 3)
      padded.set(data, 3)
      expect(crc32c(padded, 3)).toBe(crc32c(data))
    }
  })
})
