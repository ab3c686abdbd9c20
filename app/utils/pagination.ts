export const PAGE_SIZE = 25

/** The `page` query parameter, 1 when missing or absurd. */
export function pageOf(url: URL): number {
  const n = Number(url.searchParams.get('page') ?? '1')
  return Number.isSafeInteger(n) && n >= 1 && n <= 10_000 ? n : 1
}
