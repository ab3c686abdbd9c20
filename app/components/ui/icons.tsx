// A few outline icons (24×24, stroke = currentColor), decorative: labels carry the meaning.
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

export const HomeIcon = (p: { className?: string }) => (
  <svg {...common} className={p.className}>
    <path d="M3 11.5 12 4l9 7.5" />
    <path d="M5 10v10h5v-6h4v6h5V10" />
  </svg>
)
export const BuildingIcon = (p: { className?: string }) => (
  <svg {...common} className={p.className}>
    <rect x="4" y="3" width="11" height="18" rx="1" />
    <path d="M15 9h5v12h-5M8 7h3M8 11h3M8 15h3" />
  </svg>
)
export const BriefcaseIcon = (p: { className?: string }) => (
  <svg {...common} className={p.className}>
    <rect x="3" y="7" width="18" height="13" rx="2" />
    <path d="M9 7V5a1 1 0 0 1 1-1h4a1 1 0 0 1 1 1v2M3 13h18" />
  </svg>
)
export const UserIcon = (p: { className?: string }) => (
  <svg {...common} className={p.className}>
    <circle cx="12" cy="8" r="4" />
    <path d="M4 21c1.5-4 4.5-6 8-6s6.5 2 8 6" />
  </svg>
)
export const UsersIcon = (p: { className?: string }) => (
  <svg {...common} className={p.className}>
    <circle cx="9" cy="8" r="3.5" />
    <path d="M2.5 20c1-3.5 3.5-5.5 6.5-5.5s5.5 2 6.5 5.5" />
    <path d="M15.5 4.8a3.5 3.5 0 0 1 0 6.4M17.5 14.8c2 .7 3.3 2.4 4 5.2" />
  </svg>
)
export const PhoneIcon = (p: { className?: string }) => (
  <svg {...common} className={p.className}>
    <path d="M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2" />
  </svg>
)
export const CalendarIcon = (p: { className?: string }) => (
  <svg {...common} className={p.className}>
    <rect x="3" y="5" width="18" height="16" rx="2" />
    <path d="M16 3v4M8 3v4M3 10h18" />
  </svg>
)
export const MailIcon = (p: { className?: string }) => (
  <svg {...common} className={p.className}>
    <rect x="3" y="5" width="18" height="14" rx="2" />
    <path d="m3 7 9 6 9-6" />
  </svg>
)
export const NoteIcon = (p: { className?: string }) => (
  <svg {...common} className={p.className}>
    <path d="M6 3h9l4 4v14H6z" />
    <path d="M14 3v5h5M9 12h7M9 16h5" />
  </svg>
)
