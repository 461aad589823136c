import { useState } from 'react';

/** Copies a text to the clipboard and says so (in a live region) for a moment. */
export function CopyButton({
  text,
  label = 'Copy',
  copiedLabel = 'Copied',
  failedLabel = 'Copying failed: select the text and copy it',
}: {
  text: string;
  label?: string;
  copiedLabel?: string;
  failedLabel?: string;
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
      window.setTimeout(() => setState('idle'), 3000);
    } catch {
      setState('failed');
    }
  };
  return (
    <span className="copy">
      <button type="button" className="button secondary" onClick={() => void copy()}>
        {label}
      </button>
      <span role="status" className="copy-status">
        {state === 'copied' ? copiedLabel : state === 'failed' ? failedLabel : ''}
      </span>
    </span>
  );
}
