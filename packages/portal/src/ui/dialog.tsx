import { type ReactNode, useEffect, useId, useRef, useState } from 'react';

/**
 * A modal dialog on the native <dialog> element: the browser traps focus inside it, closes it on
 * Escape and gives focus back to what opened it, so keyboard and screen reader users need nothing
 * of ours. The content mounts only while open, so every opening starts with a fresh form.
 */
export function Dialog({
  open,
  title,
  onClose,
  children,
  closeLabel = 'Close',
  wide = false,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  closeLabel?: string;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} aria-labelledby={titleId} onClose={onClose} className={wide ? 'dialog wide' : 'dialog'}>
      <div className="dialog-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="button secondary dialog-close" onClick={onClose}>
          {closeLabel}
        </button>
      </div>
      {open ? children : null}
    </dialog>
  );
}

/**
 * A button that opens a dialog: the usual shape of an action that asks for details (an amount, a
 * reason) before it is carried out. `children` receives `close` for the form to call when done.
 */
export function DialogButton({
  label,
  accessibleLabel,
  title,
  className = 'button secondary',
  disabled,
  wide,
  children,
}: {
  label: string;
  /** The button's name for assistive technology when its visible label is the same in every row ("Edit"). */
  accessibleLabel?: string;
  title?: string;
  className?: string;
  disabled?: boolean;
  wide?: boolean;
  children: (close: () => void) => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const close = () => setOpen(false);
  return (
    <>
      <button
        type="button"
        className={className}
        disabled={disabled}
        aria-label={accessibleLabel}
        onClick={() => setOpen(true)}
      >
        {label}
      </button>
      <Dialog open={open} title={title ?? label} onClose={close} wide={wide ?? false}>
        {children(close)}
      </Dialog>
    </>
  );
}
