import { toWallClock } from '../../domain/shared/paris-time'

// A small RFC 5545 writer for the calendar feed: text escaping, CRLF line ends, lines
// folded at 75 octets without splitting a UTF-8 character, and Paris times written with
// TZID=Europe/Paris and the zone's VTIMEZONE (a recurring 09:00 task stays at 09:00 across
// daylight saving changes, which a UTC DTSTART would not).

/** TEXT value escaping (RFC 5545 §3.3.11). */
export const icsText = (s: string) => s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n')

/** 2027-03-25T08:00:00Z → "20270325T080000Z". */
export const icsUtc = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')

/** The Paris wall-clock time of an instant, "20270325T090000" (with TZID=Europe/Paris). */
export const icsParis = (d: Date) => icsUtc(toWallClock(d)).slice(0, -1)

/** '2027-03-28' → "20270328" (VALUE=DATE). */
export const icsDate = (day: string) => day.replaceAll('-', '')

/** One content line folded at 75 octets (continuation lines start with a space). */
export function foldLine(line: string): string {
  const out: string[] = []
  let current = ''
  let size = 0
  for (const ch of line) {
    const n = Buffer.byteLength(ch, 'utf8')
    if (size + n > 75) {
      out.push(current)
      current = ' '
      size = 1
    }
    current += ch
    size += n
  }
  out.push(current)
  return out.join('\r\n')
}

/** Lines joined with CRLF, the last one too. */
export const icsDocument = (lines: string[]) => lines.map(foldLine).join('\r\n') + '\r\n'

// Europe/Paris since 1996 (EU rules): last Sunday of March 02:00 → CEST, last Sunday of October 03:00 → CET.
export const PARIS_VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Paris',
  'X-LIC-LOCATION:Europe/Paris',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'TZNAME:CEST',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'TZNAME:CET',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
]
