import type { Config } from 'tailwindcss'
import colors from 'tailwindcss/colors'

// Tremor charts style themselves with `tremor-*` tokens and build their series colours
// at runtime (`fill-indigo-500`), which Tailwind cannot see: the tokens and a safelist
// for the chart palette the app uses (app/components/pipeline-bar-chart.tsx).
const chartPalette = ['indigo', 'sky', 'emerald', 'amber', 'rose', 'slate']

export default {
  content: ['./app/**/*.{ts,tsx}', './node_modules/@tremor/**/*.{js,ts,jsx,tsx}'],
  theme: {
    extend: {
      colors: {
        tremor: {
          brand: {
            faint: colors.indigo[50],
            muted: colors.indigo[200],
            subtle: colors.indigo[400],
            DEFAULT: colors.indigo[600],
            emphasis: colors.indigo[800],
            inverted: colors.white,
          },
          background: { muted: colors.slate[50], subtle: colors.slate[100], DEFAULT: colors.white, emphasis: colors.slate[700] },
          border: { DEFAULT: colors.slate[200] },
          ring: { DEFAULT: colors.slate[200] },
          content: { subtle: colors.slate[500], DEFAULT: colors.slate[600], emphasis: colors.slate[700], strong: colors.slate[900], inverted: colors.white },
        },
      },
      boxShadow: {
        'tremor-input': '0 1px 2px 0 rgb(0 0 0 / 0.05)',
        'tremor-card': '0 1px 3px 0 rgb(0 0 0 / 0.1), 0 1px 2px -1px rgb(0 0 0 / 0.1)',
        'tremor-dropdown': '0 4px 6px -1px rgb(0 0 0 / 0.1), 0 2px 4px -2px rgb(0 0 0 / 0.1)',
      },
      borderRadius: { 'tremor-small': '0.375rem', 'tremor-default': '0.5rem', 'tremor-full': '9999px' },
      fontSize: {
        'tremor-label': ['0.75rem', { lineHeight: '1rem' }],
        'tremor-default': ['0.875rem', { lineHeight: '1.25rem' }],
        'tremor-title': ['1.125rem', { lineHeight: '1.75rem' }],
        'tremor-metric': ['1.875rem', { lineHeight: '2.25rem' }],
      },
    },
  },
  safelist: [{ pattern: new RegExp(`^(bg|fill|stroke|text)-(${chartPalette.join('|')})-(500)$`), variants: ['hover', 'ui-selected'] }],
  plugins: [],
} satisfies Config
