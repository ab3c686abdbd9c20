import { BarChart } from '@tremor/react'
import { formatEuros } from '~/utils/format'

// Loaded lazily by the finance page: Tremor draws once the page is interactive (the
// tables under each chart carry the same figures without JavaScript). Values in cents.
export default function FinanceBarChart({
  data,
  index,
  categories,
  colors,
  stack = false,
}: {
  data: Record<string, string | number>[]
  index: string
  categories: string[]
  colors: string[]
  stack?: boolean
}) {
  return (
    <BarChart
      className="h-64"
      data={data}
      index={index}
      categories={categories}
      colors={colors}
      stack={stack}
      valueFormatter={(v: number) => formatEuros(Math.round(v), { rounded: true })}
      yAxisWidth={92}
      allowDecimals={false}
    />
  )
}
