/**
 * Row indices split by time: the oldest `trainFraction` of rows to train on, the newest to
 * test on. Rows sharing the boundary's order value all go to the training side, so no test
 * row is ever older than a training row (the model never learns from "the future" of what
 * it is scored on). Ties inside a side keep their input order (stable sort).
 *
 * @example timeSplit([3, 1, 2, 4, 5], 0.8) // → { train: [1, 2, 0, 3], test: [4] }
 */
export function timeSplit(order: ArrayLike<number>, trainFraction = 0.8): { train: number[]; test: number[] } {
  const idx = Array.from({ length: order.length }, (_, i) => i).sort((a, b) => order[a] - order[b] || a - b)
  let cut = Math.floor(idx.length * trainFraction)
  while (cut > 0 && cut < idx.length && order[idx[cut]] === order[idx[cut - 1]]) cut++
  return { train: idx.slice(0, cut), test: idx.slice(cut) }
}
