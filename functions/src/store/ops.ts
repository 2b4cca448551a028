/**
 * Firestore operations counted where they happen, so the benchmark can report reads and
 * writes per inbound message, per reply and per follow-up without guessing.
 */
export interface OpCounts {
  reads: number;
  writes: number;
}

const counts: OpCounts = { reads: 0, writes: 0 };

export const ops = {
  read(n = 1): void {
    counts.reads += n;
  },
  write(n = 1): void {
    counts.writes += n;
  },
  snapshot(): OpCounts {
    return { ...counts };
  },
  reset(): void {
    counts.reads = 0;
    counts.writes = 0;
  },
};
