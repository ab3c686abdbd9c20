/** `--name value` and `--flag` arguments; `--name=value` works too. Unknown names are refused. */
export function parseArgs(argv: string[], known: readonly string[]): Map<string, string | true> {
  const out = new Map<string, string | true>()
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (!a.startsWith('--')) throw new Error(`Argument inattendu : ${a}`)
    const eq = a.indexOf('=')
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2)
    if (!known.includes(name)) throw new Error(`Option inconnue : --${name} (possibles : ${known.map((k) => `--${k}`).join(', ')})`)
    if (eq > 0) out.set(name, a.slice(eq + 1))
    else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) out.set(name, argv[++i])
    else out.set(name, true)
  }
  return out
}

export function intArg(args: Map<string, string | true>, name: string, fallback: number): number {
  const v = args.get(name)
  if (v === undefined) return fallback
  const n = typeof v === 'string' ? Number(v.replace(/[_\s]/g, '')) : NaN
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} attend un entier positif (reçu : ${v})`)
  return n
}
