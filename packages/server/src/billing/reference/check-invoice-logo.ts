/** The largest logo a profile may hold, decoded: it is embedded in every invoice rendered. */
export const MAX_LOGO_BYTES = 512 * 1024;
/** The base64 text of MAX_LOGO_BYTES (4 characters per 3 bytes, padded). */
export const MAX_LOGO_BASE64_LENGTH = Math.ceil(MAX_LOGO_BYTES / 3) * 4;

export type LogoMediaType = 'image/png' | 'image/jpeg';

export interface InvoiceLogo {
  readonly mediaType: LogoMediaType;
  readonly base64: string;
}

export type CheckInvoiceLogoResult =
  | { readonly ok: true; readonly bytes: number }
  | { readonly ok: false; readonly field: string; readonly message: string };

/** PNG's eight-byte signature (ISO/IEC 15948, section 5.2) and JPEG's start-of-image marker with the next marker's prefix. */
const SIGNATURES: Readonly<Record<LogoMediaType, readonly number[]>> = {
  'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  'image/jpeg': [0xff, 0xd8, 0xff],
};

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Checks a logo before it is stored: canonical base64 (Node's decoder would skip what it does
 * not understand and store garbage), at most MAX_LOGO_BYTES, and bytes that are the image the
 * media type says. Renderers embed the bytes as they are, so nothing else may get through.
 */
export function checkInvoiceLogo(logo: InvoiceLogo): CheckInvoiceLogoResult {
  if (logo.base64.length === 0 || !BASE64.test(logo.base64))
    return refused('the logo is not base64 text (A-Z, a-z, 0-9, + and /, padded with =)');
  const bytes = Buffer.from(logo.base64, 'base64');
  if (bytes.length > MAX_LOGO_BYTES)
    return refused(`the logo is ${bytes.length} bytes; at most ${MAX_LOGO_BYTES} (512 KiB) are allowed`);
  const declared = logo.mediaType;
  if (startsWith(bytes, SIGNATURES[declared])) return { ok: true, bytes: bytes.length };
  const other: LogoMediaType = declared === 'image/png' ? 'image/jpeg' : 'image/png';
  return refused(
    startsWith(bytes, SIGNATURES[other])
      ? `the logo is ${other === 'image/png' ? 'a PNG' : 'a JPEG'} image, not ${declared}`
      : `the logo is not ${declared === 'image/png' ? 'a PNG' : 'a JPEG'} image: its first bytes are not the format's signature`,
  );
}

function refused(message: string): CheckInvoiceLogoResult {
  return { ok: false, field: '/logo/base64', message };
}

function startsWith(bytes: Buffer, signature: readonly number[]): boolean {
  return bytes.length > signature.length && signature.every((byte, i) => bytes[i] === byte);
}
