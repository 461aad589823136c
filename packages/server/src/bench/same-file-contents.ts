import { type FileHandle, open } from 'node:fs/promises';

const CHUNK_BYTES = 1 << 20;

/** Whether two files hold the same bytes, read a chunk at a time (never whole). */
export async function sameFileContents(pathA: string, pathB: string): Promise<boolean> {
  const a = await open(pathA, 'r');
  try {
    const b = await open(pathB, 'r');
    try {
      if ((await a.stat()).size !== (await b.stat()).size) return false;
      const bufferA = Buffer.allocUnsafe(CHUNK_BYTES);
      const bufferB = Buffer.allocUnsafe(CHUNK_BYTES);
      for (;;) {
        const [lengthA, lengthB] = await Promise.all([fill(a, bufferA), fill(b, bufferB)]);
        if (lengthA !== lengthB) return false;
        if (lengthA === 0) return true;
        if (!bufferA.subarray(0, lengthA).equals(bufferB.subarray(0, lengthB))) return false;
      }
    } finally {
      await b.close();
    }
  } finally {
    await a.close();
  }
}

/** Reads until the buffer is full or the file ends; returns the bytes read. */
async function fill(file: FileHandle, buffer: Buffer): Promise<number> {
  let length = 0;
  while (length < buffer.length) {
    const { bytesRead } = await file.read(buffer, length, buffer.length - length, null);
    if (bytesRead === 0) break;
    length += bytesRead;
  }
  return length;
}
