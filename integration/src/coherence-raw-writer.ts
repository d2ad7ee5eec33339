import { ENVELOPE_PREFIX } from '@redcache/core/wire';
import { sleep } from '@redcache/fleet';
import type { KeyMutex, RawCommands } from './coherence-key-mutex.js';
import { formatStressValue } from './coherence-value.js';

/** What the raw writer did. */
export interface RawWriterReport {
  readonly sets: number;
  readonly dels: number;
  readonly errors: readonly string[];
}

/** As the caches' writes: no value expires during a run. */
const TTL_MS = '600000';

/**
 * "Another service" writing the stress keys behind the caches' back: a plain client (no
 * tracking, no near cache) sending `SET` of an enveloped stress value (9 in 10) or `DEL`, each
 * under the key's writer mutex with a fresh version, as fast as the mutex allows, until `stop`.
 */
export class RawWriter {
  readonly #client: RawCommands;
  readonly #mutex: KeyMutex;
  readonly #keys: readonly string[];
  readonly #writerId: string;
  readonly #errors: string[] = [];
  #sets = 0;
  #dels = 0;
  #counter = 0;
  #running = false;
  #loop: Promise<void> | undefined;

  constructor(client: RawCommands, mutex: KeyMutex, keys: readonly string[], writerId: string) {
    this.#client = client;
    this.#mutex = mutex;
    this.#keys = keys;
    this.#writerId = writerId;
  }

  start(): void {
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Stops, once the write under way (if any) has been answered. */
  async stop(): Promise<RawWriterReport> {
    this.#running = false;
    await this.#loop;
    return { sets: this.#sets, dels: this.#dels, errors: this.#errors };
  }

  async #run(): Promise<void> {
    while (this.#running) {
      const key = this.#keys[Math.floor(Math.random() * this.#keys.length)]!;
      try {
        await this.#mutex.withVersion(key, (version) => this.#write(key, version));
      } catch (error) {
        this.#errors.push(String(error));
      }
      await sleep(Math.random() * 2);
    }
  }

  async #write(key: string, version: number): Promise<void> {
    if (Math.random() < 0.1) {
      await this.#client.sendCommand(['DEL', key]);
      this.#dels++;
      return;
    }
    const text = formatStressValue({ version, writer: this.#writerId, counter: ++this.#counter });
    await this.#client.sendCommand(['SET', key, `${ENVELOPE_PREFIX}0:${text}`, 'PX', TTL_MS]);
    this.#sets++;
  }
}
