import { inflateSync } from 'node:zlib';

const WOFF_SIGNATURE = 0x774f4646; // 'wOFF'
const WOFF_HEADER_BYTES = 44;
const WOFF_ENTRY_BYTES = 20;
const SFNT_HEADER_BYTES = 12;
const SFNT_ENTRY_BYTES = 16;
/** A font has a few dozen tables; more is a broken file. */
const MAX_TABLES = 256;

/**
 * Unpacks a WOFF 1.0 font (W3C, "WOFF File Format 1.0", section 4-5) into the TrueType/OpenType
 * file it wraps: the same tables, inflated with the platform's zlib. PDF renderers embed the
 * unpacked font either way; unpacking it once per process spares every rendered document the pure
 * JavaScript inflate its font library would run on each table.
 */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.length < WOFF_HEADER_BYTES || woff.readUInt32BE(0) !== WOFF_SIGNATURE)
    throw new RangeError('not a WOFF 1.0 font');
  const flavor = woff.readUInt32BE(4);
  const numTables = woff.readUInt16BE(12);
  if (numTables === 0 || numTables > MAX_TABLES) throw new RangeError(`a WOFF font with ${numTables} tables`);
  const tables = Array.from({ length: numTables }, (_, index) => {
    const entry = WOFF_HEADER_BYTES + index * WOFF_ENTRY_BYTES;
    const tag = woff.readUInt32BE(entry);
    const offset = woff.readUInt32BE(entry + 4);
    const compLength = woff.readUInt32BE(entry + 8);
    const origLength = woff.readUInt32BE(entry + 12);
    const checksum = woff.readUInt32BE(entry + 16);
    const stored = woff.subarray(offset, offset + compLength);
    const data = compLength < origLength ? inflateSync(stored) : stored;
    if (data.length !== origLength)
      throw new RangeError(`WOFF table ${tag.toString(16)} unpacks to the wrong size`);
    return { tag, checksum, data };
  });
  // searchRange and friends as the OpenType table directory defines them.
  const power = 2 ** Math.floor(Math.log2(numTables));
  let size = SFNT_HEADER_BYTES + numTables * SFNT_ENTRY_BYTES;
  for (const table of tables) size += align4(table.data.length);
  const sfnt = Buffer.alloc(size);
  sfnt.writeUInt32BE(flavor, 0);
  sfnt.writeUInt16BE(numTables, 4);
  sfnt.writeUInt16BE(power * 16, 6);
  sfnt.writeUInt16BE(Math.log2(power), 8);
  sfnt.writeUInt16BE(numTables * 16 - power * 16, 10);
  let offset = SFNT_HEADER_BYTES + numTables * SFNT_ENTRY_BYTES;
  tables.forEach((table, index) => {
    const entry = SFNT_HEADER_BYTES + index * SFNT_ENTRY_BYTES;
    sfnt.writeUInt32BE(table.tag, entry);
    sfnt.writeUInt32BE(table.checksum, entry + 4);
    sfnt.writeUInt32BE(offset, entry + 8);
    sfnt.writeUInt32BE(table.data.length, entry + 12);
    table.data.copy(sfnt, offset);
    offset += align4(table.data.length);
  });
  return sfnt;
}

function align4(length: number): number {
  return (length + 3) & ~3;
}
