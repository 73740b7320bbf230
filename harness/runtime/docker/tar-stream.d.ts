/**
 * The part of tar-stream 2.x (installed with dockerode, which depends on it
 * through tar-fs) that archive.ts uses. tar-stream ships no types.
 */
declare module 'tar-stream' {
  import type { Readable, Writable } from 'node:stream';

  export interface Headers {
    name: string;
    size?: number;
    mode?: number;
    mtime?: Date;
    type?:
      | 'file'
      | 'link'
      | 'symlink'
      | 'directory'
      | 'block-device'
      | 'character-device'
      | 'fifo'
      | 'contiguous-file'
      | null;
    linkname?: string | null;
    uid?: number;
    gid?: number;
  }

  export interface Pack extends Readable {
    entry(headers: Headers, buffer?: Buffer | string, callback?: (error?: Error | null) => void): Writable;
    entry(headers: Headers, callback: (error?: Error | null) => void): Writable;
    finalize(): void;
  }

  export interface Extract extends Writable {
    on(event: 'entry', listener: (headers: Headers, stream: Readable, next: (error?: unknown) => void) => void): this;
    on(event: 'finish', listener: () => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
    // biome-ignore lint/suspicious/noExplicitAny: the stream's other events carry anything
    on(event: string, listener: (...args: any[]) => void): this;
  }

  export function pack(): Pack;
  export function extract(): Extract;
}
