import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';

/**
 * A file written in chunks with backpressure: `write` waits for the stream to drain whenever it
 * holds more than its high-water mark, so a fast producer never buffers a whole file in memory.
 */
export class FileSink {
  private readonly stream: WriteStream;

  constructor(path: string, highWaterMarkBytes = 1 << 20) {
    this.stream = createWriteStream(path, { highWaterMark: highWaterMarkBytes });
  }

  async write(chunk: string | Uint8Array): Promise<void> {
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  /** Gives up on the file after a failure: nothing more is written, the file is closed. */
  abort(): void {
    // Writes still pending fail once the stream is destroyed; nobody waits for them any more.
    this.stream.on('error', () => {});
    this.stream.destroy();
  }

  /** Ends the file and waits until every byte is written (or the write failed). */
  async close(): Promise<number> {
    this.stream.end();
    await finished(this.stream);
    return this.stream.bytesWritten;
  }
}
