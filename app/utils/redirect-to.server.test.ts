import { describe, expect, it } from 'vitest'
import { safeRedirectTo } from './redirect-to.server'

describe('safeRedirectTo', () => {
  it('keeps a path on this site, with its query and fragment', () => {
    expect(safeRedirectTo('/deals?etape=PROSPECT')).toBe('/deals?etape=PROSPECT')
    expect(safeRedirectTo('/organisations/42#contacts')).toBe('/organisations/42#contacts')
    expect(safeRedirectTo('/')).toBe('/')
  })

  it('percent-encodes Latin-1 letters so the Location header stays ASCII', () => {
    expect(safeRedirectTo('/search?q=société')).toBe('/search?q=soci%C3%A9t%C3%A9')
  })

  it.each([
    ['a tab between the slashes', '/\t/evil.example'],
    ['a carriage return and line feed', '/\r\n/evil.example'],
    ['a header injection', '/deals\r\nSet-Cookie: x=1'],
    ['a backslash', '\\evil.example'],
    ['slash backslash', '/\\evil.example'],
    ['two slashes', '//evil.example'],
    ['two slashes and a path', '//evil.example/login'],
    ['an absolute URL', 'https://evil.example/'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['an encoded slash pair', '%2F%2Fevil.example'],
    ['a slash then an encoded slash', '/%2Fevil.example'],
    ['a slash then an encoded backslash', '/%5Cevil.example'],
    ['an encoded tab', '/%09/evil.example'],
    ['an encoded CR/LF', '/%0D%0A/evil.example'],
    ['a double-encoded slash', '/%252Fevil.example'],
    ['a NUL byte', '/deals%00'],
    ['a dot segment that collapses to two slashes', '/.//evil.example'],
    ['a character outside Latin-1', '/deals?q=日本'],
    ['a C1 control character', '/deals\u0085'],
    ['broken percent-encoding', '/deals?q=%E0%A4%A'],
    ['a relative path', 'deals'],
    ['an empty string', ''],
    ['a very long value', '/' + 'a'.repeat(5000)],
  ])('refuses %s', (_what, value) => {
    expect(safeRedirectTo(value)).toBe('/')
    expect(safeRedirectTo(value, '/tasks')).toBe('/tasks')
  })

  it('refuses what is not a string (a file field)', () => {
    expect(safeRedirectTo(null)).toBe('/')
    expect(safeRedirectTo(undefined, '/x')).toBe('/x')
    expect(safeRedirectTo(new File(['x'], 'x.txt'))).toBe('/')
  })
})
