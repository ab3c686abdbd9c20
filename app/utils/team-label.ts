/**
 * Whether a goal's team needs the "Équipe" word before its name: not when the team is
 * already called "Équipe …" (the demo's teams are), which read "Équipe Équipe Île-de-France".
 */
export function needsTeamWord(name: string, word: string): boolean {
  return !name.trim().toLocaleLowerCase().startsWith(word.trim().toLocaleLowerCase())
}
