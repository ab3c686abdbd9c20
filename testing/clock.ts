/**
 * The clock of the tests: the app, the fixtures' command contexts and the assertions
 * all read this one, so that nothing a test sees depends on today's date, the month
 * or the machine's time zone.
 *
 * It starts at TEST_NOW — a Monday at noon in Paris, mid-month, mid-year, far from a
 * change of day, month, year or daylight saving time — and moves forward by one
 * millisecond at each reading, so that two events written one after the other never
 * carry the same instant, whatever the speed of the machine.
 *
 * @example const rt = await startTestRuntime() // rt.now() === testNow() — 2026-06-15 at 12:00 in Paris
 */
export const TEST_NOW = new Date('2026-06-15T10:00:00.000Z')

let base = TEST_NOW.getTime()
let ticks = 0

/** The current test time (one millisecond later at each call). */
export function testNow(): Date {
  return new Date(base + ticks++)
}

/** Moves the test clock to `at` (a test that needs another day); `resetTestClock()` goes back. */
export function setTestNow(at: Date): void {
  base = at.getTime()
  ticks = 0
}

export function resetTestClock(): void {
  setTestNow(TEST_NOW)
}
