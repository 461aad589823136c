/** A labelled meter (allowances, caps): the bar turns amber from 80 % and red at 100 %. */
export function ProgressBar({
  label,
  value,
  max,
  text,
}: {
  label: string;
  value: number;
  max: number;
  text: string;
}) {
  const fraction = max <= 0 ? 0 : Math.min(1, value / max);
  const level = fraction >= 1 ? 'full' : fraction >= 0.8 ? 'high' : 'ok';
  return (
    <div className="progress">
      <div className="progress-label">
        <span>{label}</span>
        <span>{text}</span>
      </div>
      <div
        className={`progress-track progress-${level}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={max}
        aria-valuenow={Math.min(value, max)}
        aria-valuetext={text}
      >
        <div className="progress-fill" style={{ width: `${(fraction * 100).toFixed(1)}%` }} />
      </div>
    </div>
  );
}
