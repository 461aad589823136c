import { open } from 'node:fs/promises';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** An opened usage file: its records' bytes as a stream, and how far into the file reading is. */
export interface UsageFile {
  /** The file's bytes, gunzipped when the file is gzip; destroy it to close the file early. */
  readonly records: Readable;
  /** Bytes read from the file itself (compressed bytes for gzip), to show progress against its size. */
  bytesRead(): number;
}

/** RFC 1952 section 2.3.1: every gzip member starts with ID1 0x1f, ID2 0x8b. */
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);
/** Large reads: a usage file is read once, front to back. */
const READ_CHUNK_BYTES = 1 << 20;

/**
 * Opens a usage file as a stream, never holding the whole file: a gzip file (known by its magic
 * bytes, whatever its name) is decompressed as it is read, concatenated members included. The
 * magic is read through the same open handle as the stream, so the file cannot change between
 * the look and the read.
 */
export async function openUsageFile(path: string): Promise<UsageFile> {
  const handle = await open(path, 'r');
  let file: ReturnType<typeof handle.createReadStream>;
  let isGzip: boolean;
  try {
    const magic = Buffer.alloc(GZIP_MAGIC.length);
    const { bytesRead } = await handle.read(magic, 0, magic.length, 0);
    isGzip = bytesRead === magic.length && magic.equals(GZIP_MAGIC);
    file = handle.createReadStream({ start: 0, highWaterMark: READ_CHUNK_BYTES });
  } catch (error) {
    await handle.close();
    throw error;
  }
  if (!isGzip) return { records: file, bytesRead: () => file.bytesRead };
  // pipeline passes a read error to the gunzip stream, and destroying either closes both.
  const records = pipeline(file, createGunzip({ chunkSize: READ_CHUNK_BYTES }), () => {});
  return { records, bytesRead: () => file.bytesRead };
}
