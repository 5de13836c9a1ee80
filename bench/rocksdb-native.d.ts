/** The slice of rocksdb-native (which ships no types) that bench/stores-rocksdb.ts uses. */
declare module 'rocksdb-native' {
  interface WriteBatch {
    tryPut(key: Buffer, value: Buffer): void;
    tryDelete(key: Buffer): void;
    tryDeleteRange(start: Buffer, end: Buffer): void;
    flush(): Promise<void>;
    destroy(): void;
  }
  export default class RocksDB {
    constructor(path: string, options?: Record<string, unknown>);
    ready(): Promise<void>;
    get(key: Buffer): Promise<Buffer | null>;
    write(options?: { capacity?: number }): WriteBatch;
    close(): Promise<void>;
  }
}
