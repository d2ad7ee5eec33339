interface Deadline {
  readonly key: string;
  readonly at: number;
}

/**
 * The keys with a deadline, earliest first (a binary heap). Entries are never updated in
 * place: a key whose deadline changed keeps its old entry, and the caller skips entries
 * that no longer match the key's deadline when it pops them.
 */
export class ExpiryQueue {
  readonly #heap: Deadline[] = [];

  push(key: string, at: number): void {
    const heap = this.#heap;
    heap.push({ key, at });
    let child = heap.length - 1;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (heap[parent]!.at <= heap[child]!.at) break;
      this.#swap(parent, child);
      child = parent;
    }
  }

  /** The earliest deadline, without removing it. */
  peek(): Deadline | undefined {
    return this.#heap[0];
  }

  pop(): Deadline | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || last === undefined) return top;
    heap[0] = last;
    let parent = 0;
    for (;;) {
      const left = 2 * parent + 1;
      const right = left + 1;
      let smallest = parent;
      if (left < heap.length && heap[left]!.at < heap[smallest]!.at) smallest = left;
      if (right < heap.length && heap[right]!.at < heap[smallest]!.at) smallest = right;
      if (smallest === parent) return top;
      this.#swap(parent, smallest);
      parent = smallest;
    }
  }

  clear(): void {
    this.#heap.length = 0;
  }

  #swap(a: number, b: number): void {
    const heap = this.#heap;
    [heap[a], heap[b]] = [heap[b]!, heap[a]!];
  }
}
