// Icons of the pipeline board, search and import (24×24, stroke = currentColor), decorative.
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

export const ColumnsIcon = (p: { className?: string }) => (
  <svg {...common} className={p.className}>
    <rect x="3" y="4" width="5" height="16" rx="1" />
    <rect x="10" y="4" width="5" height="11" rx="1" />
    <rect x="17" y="4" width="4" height="7" rx="1" />
  </svg>
)
export const UploadIcon = (p: { className?: string }) => (
  <svg {...common} className={p.className}>
    <path d="M12 16V4M7 9l5-5 5 5" />
    <path d="M4 15v4a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-4" />
  </svg>
)
export const SearchIcon = (p: { className?: string }) => (
  <svg {...common} className={p.className}>
    <circle cx="11" cy="11" r="6.5" />
    <path d="m16 16 4.5 4.5" />
  </svg>
)
export const GripIcon = (p: { className?: string }) => (
  <svg {...common} strokeWidth={2.6} className={p.className}>
    <path d="M9 6h.01M15 6h.01M9 12h.01M15 12h.01M9 18h.01M15 18h.01" />
  </svg>
)
