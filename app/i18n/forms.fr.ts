// What the form schemas (app/utils/form-schema.server.ts) say beside a field whose
// posted value has the wrong shape: spread into the French catalogue (fr.ts).
export const formsFr = {
  'form.invalid': 'Valeur invalide.',
  'form.invalidChoice': 'Choix invalide.',
} as const
