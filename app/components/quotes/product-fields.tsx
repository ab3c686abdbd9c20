import { PRODUCT_UNITS } from '../../../domain/sales/product'
import { VAT_EXEMPTION_SUGGESTIONS, VAT_RATE_LABELS, VAT_RATES } from '../../../domain/sales/vat'
import { SelectField, TextAreaField, TextField } from '~/components/ui/field'
import { useT } from '~/i18n/use-t'
import { TEXT_LIMITS } from '../../../domain/shared/user-text'

/** The fields of a product or service (create and edit forms). Errors use the domain's names. */
export function ProductFields({ values, errors, categories }: { values: Record<string, string>; errors: Record<string, string>; categories: string[] }) {
  const t = useT()
  return (
    <div className="space-y-4">
      <div className="grid gap-4 sm:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <TextField name="name" label={t('product.name')} required defaultValue={values.name ?? ''} error={errors.name} maxLength={200} />
        <TextField name="code" label={t('product.code')} hint={t('product.codeHint')} defaultValue={values.code ?? ''} error={errors.code} maxLength={40} />
      </div>
      <TextAreaField
        name="description"
        maxLength={TEXT_LIMITS.description}
        label={t('product.description')}
        hint={t('product.descriptionHint')}
        rows={3}
        defaultValue={values.description ?? ''}
        error={errors.description}
      />
      <div className="grid gap-4 sm:grid-cols-3">
        <TextField
          name="unit_price"
          label={t('product.unitPrice')}
          hint={t('product.unitPriceHint')}
          required
          inputMode="decimal"
          defaultValue={values.unit_price ?? ''}
          error={errors.unit_price_cents}
        />
        <TextField
          name="unit"
          label={t('product.unit')}
          hint={t('product.unitHint')}
          required
          list="product-units"
          defaultValue={values.unit ?? 'unité'}
          error={errors.unit}
          maxLength={30}
        />
        <TextField
          name="category"
          label={t('product.category')}
          list="product-categories"
          defaultValue={values.category ?? ''}
          error={errors.category}
          maxLength={80}
        />
      </div>
      <div className="grid gap-4 sm:grid-cols-[10rem_minmax(0,1fr)]">
        <SelectField name="vat_rate" label={t('product.vatRate')} required defaultValue={values.vat_rate ?? '2000'} error={errors.vat_rate}>
          {VAT_RATES.map((r) => (
            <option key={r} value={r}>
              {VAT_RATE_LABELS[r]}
            </option>
          ))}
        </SelectField>
        <TextField
          name="vat_exemption"
          label={t('product.vatExemption')}
          hint={t('product.vatExemptionHint')}
          list="product-exemptions"
          defaultValue={values.vat_exemption ?? ''}
          error={errors.vat_exemption}
          maxLength={200}
        />
      </div>
      <datalist id="product-units">
        {PRODUCT_UNITS.map((u) => (
          <option key={u} value={u} />
        ))}
      </datalist>
      <datalist id="product-categories">
        {categories.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
      <datalist id="product-exemptions">
        {VAT_EXEMPTION_SUGGESTIONS.map((m) => (
          <option key={m} value={m} />
        ))}
      </datalist>
    </div>
  )
}
