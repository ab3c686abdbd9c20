// A labelled checkbox with its hint and error announced (aria-describedby), like field.tsx.
export function CheckboxField({
  name,
  label,
  hint,
  error,
  defaultChecked,
  className = '',
}: {
  name: string
  label: string
  hint?: string
  error?: string
  defaultChecked?: boolean
  className?: string
}) {
  const describedBy = [hint && `${name}-hint`, error && `${name}-error`].filter(Boolean).join(' ') || undefined
  return (
    <div className={`flex items-start gap-3 ${className}`}>
      <input
        id={`f-${name}`}
        name={name}
        type="checkbox"
        defaultChecked={defaultChecked}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className="mt-0.5 h-5 w-5 flex-none rounded border-slate-400 accent-indigo-700 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
      />
      <div className="min-w-0">
        <label htmlFor={`f-${name}`} className="text-sm font-medium text-slate-800">
          {label}
        </label>
        {hint ? (
          <p id={`${name}-hint`} className="text-xs text-slate-600">
            {hint}
          </p>
        ) : null}
        {error ? (
          <p id={`${name}-error`} className="mt-1 text-sm font-medium text-red-700">
            {error}
          </p>
        ) : null}
      </div>
    </div>
  )
}
