import { describe, expect, it } from 'vitest'
import type { FieldProblems } from './errors.js'
import { collectText, hasControlCharacters, TEXT_LIMITS, userText } from './user-text.js'

describe('a user text', () => {
  it('is trimmed, and null when left empty', () => {
    expect(userText('  Appel client  ', 'subject')).toEqual({ ok: true, value: 'Appel client' })
    expect(userText('   ', 'subject')).toEqual({ ok: true, value: null })
    expect(userText(null, 'subject')).toEqual({ ok: true, value: null })
  })

  it('is refused above the limit of its kind, with the limit in the problem', () => {
    expect(userText('x'.repeat(TEXT_LIMITS.subject), 'subject').ok).toBe(true)
    expect(userText('x'.repeat(TEXT_LIMITS.subject + 1), 'subject')).toEqual({ ok: false, problem: { code: 'text.too_long', params: { max: 200 } } })
    expect(userText('x'.repeat(100_001), 'body')).toEqual({ ok: false, problem: { code: 'text.too_long', params: { max: 100_000 } } })
  })

  it('names the field’s own code for a text too long when the caller gives one', () => {
    expect(userText('x'.repeat(201), 'title', (max) => ({ code: 'title.too_long', params: { max } }))).toEqual({
      ok: false,
      problem: { code: 'title.too_long', params: { max: 200 } },
    })
  })

  it('refuses C0 and C1 control characters, DEL included', () => {
    for (const c of ['\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u009f']) {
      expect(userText(`a${c}b`, 'name'), JSON.stringify(c)).toEqual({ ok: false, problem: 'text.control_characters' })
      expect(userText(`a${c}b`, 'body'), JSON.stringify(c)).toEqual({ ok: false, problem: 'text.control_characters' })
    }
  })

  it('keeps tabs and line breaks in multi-line fields only, storing one kind of line break', () => {
    expect(userText('ligne 1\r\nligne 2\rligne 3\n\tfin', 'body')).toEqual({ ok: true, value: 'ligne 1\nligne 2\nligne 3\n\tfin' })
    expect(userText('Dupont\tSA', 'name')).toEqual({ ok: false, problem: 'text.control_characters' })
    expect(userText('Dupont\nSA', 'name')).toEqual({ ok: false, problem: 'text.control_characters' })
  })

  it('keeps accents, emoji and non-breaking spaces (not control characters)', () => {
    expect(userText('Société Générale — été 😀\u00a0ok', 'name')).toEqual({ ok: true, value: 'Société Générale — été 😀\u00a0ok' })
    expect(hasControlCharacters('\u00a0\u202f', false)).toBe(false)
  })

  it('collects the first problem of a field beside it for a decide function', () => {
    const errors: FieldProblems = { subject: 'subject.required' }
    expect(collectText(errors, 'subject', 'a\u0000', 'subject')).toBeNull()
    expect(errors.subject).toBe('subject.required')
    expect(collectText(errors, 'body', 'x'.repeat(100_001), 'body')).toBeNull()
    expect(errors.body).toEqual({ code: 'text.too_long', params: { max: 100_000 } })
  })
})
