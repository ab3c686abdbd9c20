import type { formsFr } from './forms.fr'

export const formsEn: Record<keyof typeof formsFr, string> = {
  'form.invalid': 'Invalid value.',
  'form.invalidChoice': 'Invalid choice.',
}
