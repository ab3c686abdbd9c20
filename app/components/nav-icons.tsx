// Icons of the top bar's entries that had none (24×24, stroke = currentColor), decorative.
const common = {
  width: 24,
  height: 24,
  viewBox: '0 0 24 24',
  fill: 'none',
  stroke: 'currentColor',
  strokeWidth: 1.8,
  strokeLinecap: 'round' as const,
  strokeLinejoin: 'round' as const,
  'aria-hidden': true,
  focusable: false,
}

export const QuoteIcon = (p: { className?: string }) => (
  <svg {...common} className={p.className}>
    <path d="M6 3h9l4 4v14H6z" />
    <path d="M14 3v5h5M9 13h7M9 17h4" />
    <path d="M9 9h2" />
  </svg>
)
export const MoreIcon = (p: { className?: string }) => (
  <svg {...common} strokeWidth={2.6} className={p.className}>
    <path d="M6 12h.01M12 12h.01M18 12h.01" />
  </svg>
)
export const ChevronDownIcon = (p: { className?: string }) => (
  <svg {...common} className={p.className}>
    <path d="m7 10 5 5 5-5" />
  </svg>
)
