import { type TextareaHTMLAttributes, useId } from 'react';

/** A labelled multi-line input (notes, reasons, raw records), with its hint and error tied to it. */
export function TextAreaField({
  label,
  hint,
  error,
  ...textarea
}: {
  label: string;
  hint?: string;
  error?: string | undefined;
} & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId();
  const described = [hint === undefined ? null : `${id}-hint`, error === undefined ? null : `${id}-error`]
    .filter((part) => part !== null)
    .join(' ');
  return (
    <div className={`field ${error === undefined ? '' : 'field-invalid'}`}>
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        aria-invalid={error === undefined ? undefined : true}
        aria-describedby={described === '' ? undefined : described}
        {...textarea}
      />
      {hint === undefined ? null : (
        <small id={`${id}-hint`} className="hint">
          {hint}
        </small>
      )}
      {error === undefined ? null : (
        <small id={`${id}-error`} className="error-text">
          {error}
        </small>
      )}
    </div>
  );
}
