import type { InvoiceDocument } from '../invoice-document.js';
import {
  buildInvoiceView,
  type CellView,
  type InvoiceView,
  type LabelledValue,
  type PartyView,
  type TableView,
  type TextBlockView,
} from './build-invoice-view.js';
import { escapeHtml } from './escape-html.js';
import {
  checkedInvoiceTemplate,
  DEFAULT_INVOICE_TEMPLATE,
  type InvoiceTemplate,
  type RenderInvoiceOptions,
} from './invoice-template.js';

/**
 * A document as one standalone HTML5 page: inline CSS, the logo as a data: URL, nothing fetched,
 * so it can be mailed, archived or printed to A4 as it is. Every text is escaped: names, addresses
 * and notes come from customers and operators.
 */
export function renderInvoiceHtml(doc: InvoiceDocument, options: RenderInvoiceOptions = {}): string {
  const template = checkedInvoiceTemplate(options.template ?? DEFAULT_INVOICE_TEMPLATE);
  const view = buildInvoiceView(doc, template);
  return [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(view.languageTag)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(view.documentName)}</title>`,
    `<style>${stylesheet(template, view)}</style>`,
    '</head>',
    '<body>',
    view.watermark === null
      ? ''
      : `<div class="watermark" aria-hidden="true">${escapeHtml(view.watermark)}</div>`,
    headerHtml(view),
    `<h1>${escapeHtml(view.title)}</h1>`,
    partiesHtml(view),
    view.credits === null ? '' : `<p class="credits">${escapeHtml(view.credits)}</p>`,
    tableHtml(view.lines),
    view.taxSummary === null ? '' : tableHtml(view.taxSummary),
    totalsHtml(view.totals),
    paragraphsHtml('fineprint', view.fineprint),
    view.notes === null ? '' : textBlockHtml('notes', view.notes),
    view.bankDetails === null ? '' : textBlockHtml('bank-details', view.bankDetails),
    view.footerText === null ? '' : `<footer>${escapeHtml(view.footerText)}</footer>`,
    view.itemised === null ? '' : tableHtml(view.itemised),
    '</body>',
    '</html>',
  ]
    .filter((part) => part !== '')
    .map((part) => `${part}\n`)
    .join('');
}

function headerHtml(view: InvoiceView): string {
  const logo =
    view.logo === null
      ? ''
      : `<img class="logo" src="data:${view.logo.mediaType};base64,${escapeHtml(view.logo.base64)}" alt="${escapeHtml(view.seller.name)}">`;
  return `<header class="seller">${logo}${partyHtml(view.seller)}</header>`;
}

function partiesHtml(view: InvoiceView): string {
  const buyer = `<div class="buyer"><h2>${escapeHtml(view.buyer.heading)}</h2>${partyHtml(view.buyer)}</div>`;
  return `<section class="parties">${buyer}${definitionsHtml('meta', view.meta)}</section>`;
}

function partyHtml(party: PartyView): string {
  const lines = [`<strong>${escapeHtml(party.name)}</strong>`, ...party.lines.map(escapeHtml)];
  return `<address>${lines.join('<br>')}</address>`;
}

function definitionsHtml(className: string, rows: readonly LabelledValue[]): string {
  const items = rows.map((row) => `<dt>${escapeHtml(row.label)}</dt><dd>${escapeHtml(row.value)}</dd>`);
  return `<dl class="${className}">${items.join('')}</dl>`;
}

/** Headers in <thead> repeat on every printed page of a table that breaks across pages. */
function tableHtml(table: TableView): string {
  const heading = table.heading === null ? '' : `<h2>${escapeHtml(table.heading)}</h2>`;
  const numeric = table.columns.map((column) => column.numeric);
  const head = table.columns
    .map((column) => `<th${column.numeric ? ' class="num"' : ''}>${escapeHtml(column.label)}</th>`)
    .join('');
  const body = table.rows
    .map((row) => `<tr>${row.map((cell, index) => cellHtml(cell, numeric[index] === true)).join('')}</tr>`)
    .join('\n');
  return `<section class="table ${table.id}">${heading}<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></section>`;
}

function cellHtml(cell: CellView, numeric: boolean): string {
  const detail = cell.detail === null ? '' : `<span class="detail">${escapeHtml(cell.detail)}</span>`;
  return `<td${numeric ? ' class="num"' : ''}>${escapeHtml(cell.text)}${detail}</td>`;
}

function totalsHtml(totals: readonly LabelledValue[]): string {
  const rows = totals.map(
    (row, index) =>
      `<tr${index === totals.length - 1 ? ' class="total"' : ''}><th>${escapeHtml(row.label)}</th><td class="num">${escapeHtml(row.value)}</td></tr>`,
  );
  return `<table class="totals"><tbody>${rows.join('')}</tbody></table>`;
}

function textBlockHtml(className: string, block: TextBlockView): string {
  const paragraphs = block.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('');
  return `<section class="${className}"><h2>${escapeHtml(block.heading)}</h2>${paragraphs}</section>`;
}

function paragraphsHtml(className: string, paragraphs: readonly string[]): string {
  if (paragraphs.length === 0) return '';
  return `<section class="${className}">${paragraphs.map((text) => `<p>${escapeHtml(text)}</p>`).join('')}</section>`;
}

/**
 * A CSS string literal. Text reaches CSS only in `content:` of the page margin boxes; a `<` is
 * written as an escape so that no text can close the <style> element.
 */
function cssString(text: string): string {
  const escaped = text
    .replace(/[\\"]/g, '\\$&')
    .replace(/[\r\n]/g, ' ')
    .replace(/</g, '\\3c ');
  return `"${escaped}"`;
}

/** "Page {page} of {pages}" as CSS generated content with the page counters. */
function pageCounterContent(pageOfTemplate: string): string {
  return pageOfTemplate
    .split(/(\{page\}|\{pages\})/)
    .filter((part) => part !== '')
    .map((part) =>
      part === '{page}' ? 'counter(page)' : part === '{pages}' ? 'counter(pages)' : cssString(part),
    )
    .join(' ');
}

/** The accent colour is a checked #rrggbb, so it can go into the stylesheet as it is. */
function stylesheet(template: InvoiceTemplate, view: InvoiceView): string {
  const accent = template.accentColor;
  return `
@page { size: A4; margin: 18mm 16mm 20mm;
  @bottom-right { content: ${pageCounterContent(view.messages.pageOfTemplate)}; font-size: 8pt; color: #666; } }
* { box-sizing: border-box; }
body { font-family: "Noto Sans", "Helvetica Neue", Arial, sans-serif; font-size: 9.5pt; color: #222;
  max-width: 178mm; margin: 0 auto; padding: 8mm 0; line-height: 1.4; }
h1 { color: ${accent}; font-size: 20pt; margin: 6mm 0 4mm; }
h2 { color: ${accent}; font-size: 10pt; margin: 5mm 0 2mm; }
address { font-style: normal; }
header.seller { display: flex; justify-content: space-between; align-items: flex-start; gap: 8mm; }
header.seller address { text-align: right; font-size: 8.5pt; margin-left: auto; }
.logo { max-width: 50mm; max-height: 20mm; }
.parties { display: flex; justify-content: space-between; gap: 8mm; }
.parties h2 { margin-top: 0; }
dl.meta { display: grid; grid-template-columns: auto auto; gap: 1mm 4mm; margin: 0; align-content: start; }
dl.meta dt { color: #666; }
dl.meta dd { margin: 0; text-align: right; }
table { width: 100%; border-collapse: collapse; margin-top: 4mm; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th { text-align: left; font-weight: 700; border-bottom: 1.5pt solid ${accent}; padding: 1.5mm 1.5mm; }
td { border-bottom: 0.5pt solid #ddd; padding: 1.5mm 1.5mm; vertical-align: top; }
.num { text-align: right; white-space: nowrap; }
.detail { display: block; color: #666; font-size: 8pt; }
table.totals { width: auto; margin-left: auto; }
table.totals th { border: none; font-weight: 400; padding-right: 8mm; }
table.totals td { border: none; }
table.totals tr.total th, table.totals tr.total td { font-weight: 700; color: ${accent};
  border-top: 1.5pt solid ${accent}; font-size: 11pt; }
.fineprint { font-size: 8pt; color: #444; margin-top: 6mm; }
.notes p, .bank-details p { white-space: pre-line; margin: 0 0 1.5mm; }
footer { margin-top: 8mm; font-size: 8pt; color: #666; border-top: 0.5pt solid #ddd; padding-top: 2mm; }
.itemised { break-before: page; }
.itemised table { font-size: 8pt; }
.watermark { position: fixed; top: 45%; left: 0; right: 0; text-align: center; font-size: 72pt; font-weight: 700;
  color: rgba(0, 0, 0, 0.08); transform: rotate(-35deg); pointer-events: none; z-index: 10; }
@media print { body { padding: 0; max-width: none; } }
`;
}
