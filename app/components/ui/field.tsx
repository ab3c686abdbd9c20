import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react'
import { useT } from '~/i18n/use-t'

// Labelled form fields whose error sits beside them and is announced: aria-invalid plus
// aria-describedby pointing at the hint and the error.

type FieldProps = { name: string; label: string; error?: string; hint?: string; required?: boolean; className?: string }

const control =
  'block w-full rounded-md border bg-white px-3 py-2 text-sm text-slate-900 shadow-sm placeholder:text-slate-400 ' +
  'focus:outline-none focus:ring-2 focus:ring-indigo-600 focus:border-indigo-600 disabled:bg-slate-100'

function describedBy(name: string, error?: string, hint?: string) {
  return [hint && `${name}-hint`, error && `${name}-error`].filter(Boolean).join(' ') || undefined
}

function FieldFrame({ name, label, error, hint, required, className, children }: FieldProps & { children: ReactNode }) {
  const t = useT()
  return (
    <div className={className}>
      <label htmlFor={`f-${name}`} className="block text-sm font-medium text-slate-800">
        {label}
        {required ? (
          <span className="text-red-700" aria-hidden="true">
            {' '}
            *
          </span>
        ) : null}
        {required ? <span className="sr-only"> ({t('common.required')})</span> : null}
      </label>
      <div className="mt-1">{children}</div>
      {hint ? (
        <p id={`${name}-hint`} className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${name}-error`} className="mt-1 text-sm font-medium text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  )
}

export function TextField({ name, label, error, hint, required, className, ...input }: FieldProps & Omit<InputHTMLAttributes<HTMLInputElement>, 'name'>) {
  return (
    <FieldFrame {...{ name, label, error, hint, required, className }}>
      <input
        id={`f-${name}`}
        name={name}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(name, error, hint)}
        className={`${control} ${error ? 'border-red-600' : 'border-slate-300'}`}
        {...input}
      />
    </FieldFrame>
  )
}

export function SelectField({
  name,
  label,
  error,
  hint,
  required,
  className,
  children,
  ...select
}: FieldProps & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'name'>) {
  return (
    <FieldFrame {...{ name, label, error, hint, required, className }}>
      <select
        id={`f-${name}`}
        name={name}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(name, error, hint)}
        className={`${control} ${error ? 'border-red-600' : 'border-slate-300'}`}
        {...select}
      >
        {children}
      </select>
    </FieldFrame>
  )
}

export function TextAreaField({
  name,
  label,
  error,
  hint,
  required,
  className,
  ...area
}: FieldProps & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'name'>) {
  return (
    <FieldFrame {...{ name, label, error, hint, required, className }}>
      <textarea
        id={`f-${name}`}
        name={name}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(name, error, hint)}
        className={`${control} ${error ? 'border-red-600' : 'border-slate-300'}`}
        rows={3}
        {...area}
      />
    </FieldFrame>
  )
}
