import PDFDocument from 'pdfkit';
import type { InvoiceDocument } from '../invoice-document.js';
import {
  buildInvoiceView,
  type CellView,
  type InvoiceView,
  type LabelledValue,
  type PartyView,
  type TableId,
  type TableView,
  type TextBlockView,
} from './build-invoice-view.js';
import { pageOf } from './invoice-messages.js';
import {
  checkedInvoiceTemplate,
  DEFAULT_INVOICE_TEMPLATE,
  type RenderInvoiceOptions,
} from './invoice-template.js';
import { loadInvoiceFonts } from './load-invoice-fonts.js';

type Pdf = PDFKit.PDFDocument;

const REGULAR = 'NotoSans';
const BOLD = 'NotoSans-Bold';

/** Points (1/72 in). The bottom margin leaves room for the page footer. */
const MARGIN = { top: 48, left: 48, right: 48, bottom: 60 } as const;
const FOOTER_FROM_BOTTOM = 38;

const TEXT_COLOR = '#222222';
const MUTED_COLOR = '#666666';
const RULE_COLOR = '#dddddd';

interface TableStyle {
  readonly fontSize: number;
  readonly detailSize: number;
  readonly padding: number;
}

const TABLE_STYLE: TableStyle = { fontSize: 8.5, detailSize: 7, padding: 3.5 };
const ITEMISED_STYLE: TableStyle = { fontSize: 7.5, detailSize: 6.5, padding: 3 };

/** Shares of the content width, column by column. */
const COLUMN_SHARES: Readonly<Record<TableId, readonly number[]>> = {
  lines: [0.38, 0.19, 0.13, 0.12, 0.18],
  taxSummary: [0.37, 0.15, 0.24, 0.24],
  itemised: [0.23, 0.18, 0.21, 0.1, 0.13, 0.15],
};

interface Canvas {
  readonly pdf: Pdf;
  readonly accent: string;
  readonly left: number;
  readonly width: number;
}

/**
 * A document as an A4 PDF with the same content as its HTML rendering, fonts embedded so that it
 * prints the same everywhere. The same document gives the same bytes: the creation date is the
 * issue day and the file identifier is derived from the metadata, so an invoice rendered again
 * (for a reminder, an archive check) is the one the customer received.
 */
export async function renderInvoicePdf(
  doc: InvoiceDocument,
  options: RenderInvoiceOptions = {},
): Promise<Buffer> {
  const template = checkedInvoiceTemplate(options.template ?? DEFAULT_INVOICE_TEMPLATE);
  const view = buildInvoiceView(doc, template);
  const fonts = await loadInvoiceFonts();
  const pdf = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    lang: doc.language,
    displayTitle: true,
    info: {
      Title: view.documentName,
      Author: doc.seller.name,
      Creator: 'Tollgate',
      CreationDate: new Date(`${doc.issuedOn}T00:00:00Z`),
    },
  });
  const bytes = collectBytes(pdf);
  pdf.registerFont(REGULAR, fonts.regular);
  pdf.registerFont(BOLD, fonts.bold);
  const canvas: Canvas = {
    pdf,
    accent: template.accentColor,
    left: MARGIN.left,
    width: pdf.page.width - MARGIN.left - MARGIN.right,
  };
  drawContent(canvas, view);
  drawPageFurniture(canvas, view);
  pdf.end();
  return bytes;
}

function collectBytes(pdf: Pdf): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
}

/**
 * fr-FR Intl formats group digits (`1 234,56 €`) and set off some units (`1,24 Go`) with U+202F,
 * the narrow no-break space, which Noto Sans's latin subset has no glyph for. It becomes U+00A0, which the font has: as wide
 * as a space, and still no place to break an amount across two lines.
 */
function printable(text: string): string {
  return text.replace(/\u202f/g, '\u00a0');
}

function drawContent(canvas: Canvas, view: InvoiceView): void {
  drawHeader(canvas, view);
  drawTitle(canvas, view.title);
  drawParties(canvas, view);
  if (view.credits !== null) drawParagraphs(canvas, [view.credits], 9, TEXT_COLOR);
  drawTable(canvas, view.lines, TABLE_STYLE);
  if (view.taxSummary !== null) drawTable(canvas, view.taxSummary, TABLE_STYLE);
  drawTotals(canvas, view.totals);
  if (view.fineprint.length > 0) drawParagraphs(canvas, view.fineprint, 7.5, MUTED_COLOR);
  drawClosingBlocks(
    canvas,
    [view.notes, view.bankDetails].filter((block) => block !== null),
  );
  if (view.itemised !== null) {
    canvas.pdf.addPage();
    drawTable(canvas, view.itemised, ITEMISED_STYLE);
  }
}

/** A new page when the next `heightPt` would run into the bottom margin. */
function ensureSpace(canvas: Canvas, heightPt: number): void {
  if (canvas.pdf.y + heightPt > canvas.pdf.page.maxY()) canvas.pdf.addPage();
}

const LOGO_BOX: [number, number] = [150, 56];

function drawHeader(canvas: Canvas, view: InvoiceView): void {
  const { pdf, left, width } = canvas;
  const top = pdf.y;
  if (view.logo !== null) pdf.image(view.logo.bytes, left, top, { fit: LOGO_BOX });
  const logoBottom = view.logo === null ? top : top + LOGO_BOX[1];
  const half = width / 2;
  pdf.font(BOLD).fontSize(10.5).fillColor(TEXT_COLOR);
  pdf.text(printable(view.seller.name), left + half, top, { width: half, align: 'right' });
  pdf.font(REGULAR).fontSize(8).fillColor(MUTED_COLOR);
  for (const line of view.seller.lines)
    pdf.text(printable(line), left + half, pdf.y, { width: half, align: 'right' });
  pdf.x = left;
  pdf.y = Math.max(logoBottom, pdf.y) + 14;
}

function drawTitle(canvas: Canvas, title: string): void {
  const { pdf, left, width } = canvas;
  pdf.font(BOLD).fontSize(20).fillColor(canvas.accent);
  pdf.text(printable(title), left, pdf.y, { width });
  pdf.y += 6;
}

function drawParties(canvas: Canvas, view: InvoiceView): void {
  const { pdf, left, width } = canvas;
  const top = pdf.y;
  const buyerBottom = drawParty(canvas, view.buyer.heading, view.buyer, top, width * 0.5);
  const metaBottom = drawMeta(canvas, view.meta, left + width * 0.52, top, width * 0.48);
  pdf.x = left;
  pdf.y = Math.max(buyerBottom, metaBottom) + 16;
}

function drawParty(canvas: Canvas, heading: string, party: PartyView, top: number, widthPt: number): number {
  const { pdf, left } = canvas;
  pdf.font(BOLD).fontSize(8).fillColor(canvas.accent).text(printable(heading), left, top, { width: widthPt });
  pdf
    .font(BOLD)
    .fontSize(10)
    .fillColor(TEXT_COLOR)
    .text(printable(party.name), left, pdf.y + 2, { width: widthPt });
  pdf.font(REGULAR).fontSize(9);
  for (const line of party.lines) pdf.text(printable(line), left, pdf.y, { width: widthPt });
  return pdf.y;
}

function drawMeta(
  canvas: Canvas,
  rows: readonly LabelledValue[],
  x: number,
  top: number,
  widthPt: number,
): number {
  const { pdf } = canvas;
  const labelWidth = widthPt * 0.45;
  const valueWidth = widthPt - labelWidth;
  let y = top;
  pdf.font(REGULAR).fontSize(9);
  for (const row of rows) {
    const label = printable(row.label);
    const value = printable(row.value);
    pdf.fillColor(MUTED_COLOR).text(label, x, y, { width: labelWidth });
    pdf.fillColor(TEXT_COLOR).text(value, x + labelWidth, y, { width: valueWidth, align: 'right' });
    y +=
      Math.max(
        pdf.heightOfString(label, { width: labelWidth }),
        pdf.heightOfString(value, { width: valueWidth }),
      ) + 2;
  }
  return y;
}

function columnWidths(canvas: Canvas, table: TableView): number[] {
  const shares = COLUMN_SHARES[table.id];
  if (shares.length !== table.columns.length) {
    throw new RangeError(`table ${table.id}: ${table.columns.length} columns, ${shares.length} widths`);
  }
  return shares.map((share) => share * canvas.width);
}

/**
 * Rows are measured before they are drawn: a row that does not fit goes whole to a new page,
 * under the column headers drawn again, so no row is split and every page can be read alone.
 */
function drawTable(canvas: Canvas, table: TableView, style: TableStyle): void {
  const { pdf } = canvas;
  const widths = columnWidths(canvas, table);
  const headerHeight = headerRowHeight(canvas, table, widths, style);
  const firstRow = table.rows[0];
  const firstRowHeight = firstRow === undefined ? 0 : rowHeight(canvas, firstRow, widths, style);
  const headingHeight = table.heading === null ? 0 : 22;
  ensureSpace(canvas, headingHeight + headerHeight + firstRowHeight);
  if (table.heading !== null) drawHeading(canvas, table.heading);
  drawHeaderRow(canvas, table, widths, style, headerHeight);
  for (const row of table.rows) {
    const height = rowHeight(canvas, row, widths, style);
    if (pdf.y + height > pdf.page.maxY()) {
      pdf.addPage();
      drawHeaderRow(canvas, table, widths, style, headerHeight);
    }
    drawRow(canvas, table, row, widths, style, height);
  }
  pdf.x = canvas.left;
  pdf.y += 12;
}

function drawHeading(canvas: Canvas, heading: string, x = canvas.left, widthPt = canvas.width): void {
  const { pdf } = canvas;
  pdf
    .font(BOLD)
    .fontSize(10.5)
    .fillColor(canvas.accent)
    .text(printable(heading), x, pdf.y, { width: widthPt });
  pdf.y += 4;
}

function headerRowHeight(
  canvas: Canvas,
  table: TableView,
  widths: readonly number[],
  style: TableStyle,
): number {
  canvas.pdf.font(BOLD).fontSize(style.fontSize);
  const heights = table.columns.map((column, index) =>
    canvas.pdf.heightOfString(printable(column.label), { width: cellWidth(widths, index, style) }),
  );
  return Math.max(...heights) + 2 * style.padding;
}

function drawHeaderRow(
  canvas: Canvas,
  table: TableView,
  widths: readonly number[],
  style: TableStyle,
  heightPt: number,
): void {
  const { pdf } = canvas;
  const top = pdf.y;
  pdf.font(BOLD).fontSize(style.fontSize).fillColor(TEXT_COLOR);
  let x = canvas.left;
  table.columns.forEach((column, index) => {
    const align = column.numeric ? 'right' : 'left';
    pdf.text(printable(column.label), x + style.padding, top + style.padding, {
      width: cellWidth(widths, index, style),
      align,
    });
    x += widths[index] ?? 0;
  });
  rule(canvas, top + heightPt, canvas.accent, 1.2);
  pdf.y = top + heightPt;
}

function rowHeight(
  canvas: Canvas,
  row: readonly CellView[],
  widths: readonly number[],
  style: TableStyle,
): number {
  const { pdf } = canvas;
  const heights = row.map((cell, index) => {
    const width = cellWidth(widths, index, style);
    pdf.font(REGULAR).fontSize(style.fontSize);
    const text = cell.text === '' ? 0 : pdf.heightOfString(printable(cell.text), { width });
    if (cell.detail === null) return text;
    pdf.fontSize(style.detailSize);
    return text + pdf.heightOfString(printable(cell.detail), { width });
  });
  return Math.max(...heights) + 2 * style.padding;
}

function drawRow(
  canvas: Canvas,
  table: TableView,
  row: readonly CellView[],
  widths: readonly number[],
  style: TableStyle,
  heightPt: number,
): void {
  const { pdf } = canvas;
  const top = pdf.y;
  let x = canvas.left;
  row.forEach((cell, index) => {
    const width = cellWidth(widths, index, style);
    const align = table.columns[index]?.numeric === true ? 'right' : 'left';
    pdf.font(REGULAR).fontSize(style.fontSize).fillColor(TEXT_COLOR);
    if (cell.text !== '')
      pdf.text(printable(cell.text), x + style.padding, top + style.padding, { width, align });
    else pdf.y = top + style.padding;
    if (cell.detail !== null) {
      pdf.fontSize(style.detailSize).fillColor(MUTED_COLOR);
      pdf.text(printable(cell.detail), x + style.padding, pdf.y, { width, align });
    }
    x += widths[index] ?? 0;
  });
  rule(canvas, top + heightPt, RULE_COLOR, 0.5);
  pdf.y = top + heightPt;
}

function cellWidth(widths: readonly number[], index: number, style: TableStyle): number {
  return (widths[index] ?? 0) - 2 * style.padding;
}

function rule(canvas: Canvas, y: number, color: string, lineWidthPt: number): void {
  const { pdf, left, width } = canvas;
  pdf
    .moveTo(left, y)
    .lineTo(left + width, y)
    .lineWidth(lineWidthPt)
    .strokeColor(color)
    .stroke();
}

/** Subtotal and tax, then the total in the accent colour under a rule, at the right. */
function drawTotals(canvas: Canvas, totals: readonly LabelledValue[]): void {
  const { pdf, left, width } = canvas;
  const x = left + width * 0.5;
  const half = width * 0.5;
  ensureSpace(canvas, totals.length * 18 + 12);
  totals.forEach((row, index) => {
    const last = index === totals.length - 1;
    if (last) {
      pdf.y += 3;
      pdf
        .moveTo(x, pdf.y)
        .lineTo(left + width, pdf.y)
        .lineWidth(1.2)
        .strokeColor(canvas.accent)
        .stroke();
      pdf.y += 4;
    }
    const top = pdf.y;
    pdf
      .font(last ? BOLD : REGULAR)
      .fontSize(last ? 11 : 9)
      .fillColor(last ? canvas.accent : TEXT_COLOR);
    pdf.text(printable(row.label), x, top, { width: half / 2 });
    pdf.text(printable(row.value), x + half / 2, top, { width: half / 2, align: 'right' });
    pdf.y = top + pdf.currentLineHeight(true) + 2;
  });
  pdf.x = left;
  pdf.y += 12;
}

function drawParagraphs(
  canvas: Canvas,
  paragraphs: readonly string[],
  fontSize: number,
  color: string,
): void {
  const { pdf, left, width } = canvas;
  pdf.font(REGULAR).fontSize(fontSize).fillColor(color);
  ensureSpace(canvas, pdf.currentLineHeight(true) * 2);
  for (const paragraph of paragraphs) {
    pdf.text(printable(paragraph), left, pdf.y, { width, paragraphGap: 3 });
  }
  pdf.y += 8;
}

const BLOCK_SIZE = 8.5;
const BLOCK_HEADING_HEIGHT = 20;
const BLOCK_GAP = 8;
const COLUMN_GAP = 16;

/**
 * The notes and the payment details side by side, as the closing part of the first page; one
 * under the other when only one exists or when the two are too long to stand side by side.
 */
function drawClosingBlocks(canvas: Canvas, blocks: readonly TextBlockView[]): void {
  const { pdf, left, width } = canvas;
  const columnWidth = (width - COLUMN_GAP) / 2;
  const height = Math.max(0, ...blocks.map((block) => textBlockHeight(canvas, block, columnWidth)));
  const pageHeight = pdf.page.maxY() - pdf.page.margins.top;
  if (blocks.length !== 2 || height > pageHeight / 2) {
    for (const block of blocks) drawTextBlock(canvas, block, left, width);
    return;
  }
  ensureSpace(canvas, height);
  const top = pdf.y;
  const bottoms = blocks.map((block, index) => {
    pdf.y = top;
    drawTextBlock(canvas, block, left + index * (columnWidth + COLUMN_GAP), columnWidth);
    return pdf.y;
  });
  pdf.x = left;
  pdf.y = Math.max(...bottoms);
}

function textBlockHeight(canvas: Canvas, block: TextBlockView, widthPt: number): number {
  const { pdf } = canvas;
  pdf.font(REGULAR).fontSize(BLOCK_SIZE);
  const paragraphs = block.paragraphs.map(
    (text) => pdf.heightOfString(printable(text), { width: widthPt }) + 3,
  );
  return BLOCK_HEADING_HEIGHT + paragraphs.reduce((sum, height) => sum + height, 0) + BLOCK_GAP;
}

function drawTextBlock(canvas: Canvas, block: TextBlockView, x: number, widthPt: number): void {
  const { pdf } = canvas;
  ensureSpace(canvas, BLOCK_HEADING_HEIGHT + pdf.currentLineHeight(true) * 2);
  drawHeading(canvas, block.heading, x, widthPt);
  pdf.font(REGULAR).fontSize(BLOCK_SIZE).fillColor(TEXT_COLOR);
  for (const paragraph of block.paragraphs) {
    pdf.text(printable(paragraph), x, pdf.y, { width: widthPt, paragraphGap: 3 });
  }
  pdf.y += BLOCK_GAP;
}

/**
 * The watermark and the footer of every page, drawn once the page count is known. The footer sits
 * in the bottom margin, where pdfkit would start a new page for any text: the margin is lifted
 * while the footer is drawn.
 */
function drawPageFurniture(canvas: Canvas, view: InvoiceView): void {
  const { pdf } = canvas;
  const range = pdf.bufferedPageRange();
  for (let index = 0; index < range.count; index += 1) {
    pdf.switchToPage(range.start + index);
    if (view.watermark !== null) drawWatermark(canvas, view.watermark);
    drawFooter(canvas, view, pageOf(view.messages, index + 1, range.count));
  }
}

function drawWatermark(canvas: Canvas, watermark: string): void {
  const { pdf } = canvas;
  const centreX = pdf.page.width / 2;
  const centreY = pdf.page.height / 2;
  const text = printable(watermark);
  pdf.save();
  pdf.rotate(-35, { origin: [centreX, centreY] });
  pdf.font(BOLD).fontSize(72).fillColor('#000000', 0.07);
  pdf.text(text, centreX - pdf.widthOfString(text) / 2, centreY - 50, { lineBreak: false });
  pdf.restore();
}

function drawFooter(canvas: Canvas, view: InvoiceView, pageText: string): void {
  const { pdf, left, width } = canvas;
  const bottomMargin = pdf.page.margins.bottom;
  pdf.page.margins.bottom = 0;
  const y = pdf.page.height - FOOTER_FROM_BOTTOM;
  pdf.font(REGULAR).fontSize(7.5).fillColor(MUTED_COLOR);
  if (view.footerText !== null) {
    pdf.text(printable(view.footerText), left, y, { width: width * 0.72, height: 10, ellipsis: true });
  }
  pdf.text(printable(pageText), left + width * 0.72, y, { width: width * 0.28, align: 'right' });
  pdf.page.margins.bottom = bottomMargin;
}
