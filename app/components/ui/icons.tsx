// A few outline icons (24×24, stroke = currentColor), decorative: labels carry the meaning.
const common = { width: 24, height: 24, viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', strokeWidth: 1.8, strokeLinecap: 'round' as const, strokeLinejoin: 'round' as const, 'aria-hidden': true, focusable: false }

export const HomeIcon = (p: { className?: string }) => (
  <svg {...common} className={p.className}><path d="M3 11.5 12 4l9 7.5" /><path d="M5 10v10h5v-6h4v6h5V10" /></svg>
)
export const BuildingIcon = (p: { className?: string }) => (
  <svg {...common} className={p.className}><rect x="4" y="3" width="11" height="18" rx="1" /><path d="M15 9h5v12h-5M8 7h3M8 11h3M8 15h3" /></svg>
)
export const BriefcaseIcon = (p: { className?: string }) => (
  <svg {...common} className={p.className}><rect x="3" y="7" width="18" height="13" rx="2" /><path d="M9 7V5a1 1 0 0 1 1-1h4a1 1 0 0 1 1 1v2M3 13h18" /></svg>
)
export const UserIcon = (p: { className?: string }) => (
  <svg {...common} className={p.className}><circle cx="12" cy="8" r="4" /><path d="M4 21c1.5-4 4.5-6 8-6s6.5 2 8 6" /></svg>
)
