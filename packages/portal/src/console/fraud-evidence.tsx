import { keyWords, plainValue } from './fraud-words.js';

/** How deep nested evidence is unfolded before the rest is shown as JSON. */
const MAX_DEPTH = 3;

/**
 * A case's evidence as label/value pairs: what the rule saw (the destinations, the counts, the
 * usual spend against this one). Objects unfold as nested lists; lists of plain values read as
 * one line; lists of objects as one entry each.
 */
export function EvidenceList({ evidence, depth = 0 }: { evidence: unknown; depth?: number }) {
  if (typeof evidence !== 'object' || evidence === null || depth >= MAX_DEPTH)
    return <span>{plainValue(evidence)}</span>;
  if (Array.isArray(evidence)) {
    if (evidence.every((item) => typeof item !== 'object' || item === null))
      return <span>{plainValue(evidence)}</span>;
    return (
      <ol className="evidence-list">
        {evidence.map((item, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: evidence entries have no id; their order is the rule's
          <li key={index}>
            <EvidenceList evidence={item} depth={depth + 1} />
          </li>
        ))}
      </ol>
    );
  }
  const entries = Object.entries(evidence as Record<string, unknown>);
  if (entries.length === 0) return <span>None</span>;
  return (
    <dl className="facts evidence">
      {entries.map(([key, value]) => (
        <div key={key} className="evidence-entry">
          <dt>{keyWords(key)}</dt>
          <dd>
            <EvidenceList evidence={value} depth={depth + 1} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
